// Verification-code sign-in (contract §2/§3): redeems a verification_token for a session. The
// password lockout does not apply: the token already proves possession of the phone or mailbox.
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import { requireEnabled } from "./switches";
import { openSession, type TokenResponse } from "./session-issuer";
import { contactLookup } from "./verification-contact";
import { redeem } from "./verification-token";

export async function signInWithVerificationToken(services: Services, token: string, defer: Defer): Promise<TokenResponse> {
  await requireEnabled(services, "verification_signin");
  return redeem(
    services,
    token,
    async (contact) => {
      const user = await services.users.findByIdentifier(contactLookup(contact));
      // The token goes back (before this answer): the client is expected to sign up with it.
      if (!user) throw new ApiError("user_not_found");
      // Blocking is revealed only to someone holding a valid token (openSession tells).
      return openSession(services, user);
    },
    defer,
  );
}
