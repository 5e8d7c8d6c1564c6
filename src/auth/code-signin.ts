// Verification-code sign-in (contract §2/§3): redeems a verification_token for a session. The
// password lockout does not apply: the token already proves possession of the phone or mailbox.
import { ApiError } from "../errors";
import type { Services } from "../services";
import { readSettings } from "../storage/settings";
import { openSession, type TokenResponse } from "./session-issuer";
import { contactLookup } from "./verification-contact";
import { consumeToken, inspectToken } from "./verification-token";

export async function signInWithVerificationToken(services: Services, token: string): Promise<TokenResponse> {
  const settings = await readSettings(services.env.DB, services.config.settingDefaults);
  if (!settings.verification_signin) {
    throw new ApiError("unimplemented", {
      description:
        'Verification-code sign-in is not enabled. Enable it with PATCH /auth/v1/admin/settings {"verification_signin":true} or VERIFICATION_SIGNIN=true',
    });
  }
  const presented = await inspectToken(services, token);
  const { verified } = presented;
  const user = await services.users.findByIdentifier(contactLookup({ kind: verified.kind, value: verified.contact }));
  // Not consumed: the client is expected to sign up with this same token.
  if (!user) throw new ApiError("user_not_found");
  // Blocking is revealed only to someone holding a valid token.
  if (user.status === "BLOCKED") throw new ApiError("invalid_status", { description: "This account is blocked" });
  await consumeToken(services, presented);
  return openSession(services, user);
}
