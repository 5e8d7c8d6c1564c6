// Verification-code sign-in (contract §2/§3): redeems a verification_token for a session. The
// password lockout does not apply: the token already proves possession of the phone or mailbox.
import { ApiError } from "../errors";
import type { Services } from "../services";
import { requireEnabled } from "./switches";
import { openSession, type TokenResponse } from "./session-issuer";
import { hashSecret } from "./verification-code";
import { usageAllowsSignin } from "./verification-contact";
import { invalidGrant } from "./verification-token";

export async function signInWithVerificationToken(services: Services, token: string): Promise<TokenResponse> {
  await requireEnabled(services, "verification_signin");
  // One read: the token and the user who has its contact.
  const tokenHash = await hashSecret(token);
  const found = await services.verifications.peekTokenWithUser(tokenHash, services.now());
  if (!found || !usageAllowsSignin(found.verified.usage)) throw invalidGrant();
  const { user } = found;
  // Not consumed: the client is expected to sign up with this same token.
  if (!user) throw new ApiError("user_not_found");
  // Blocking is revealed only to someone holding a valid token.
  if (user.status === "BLOCKED") throw new ApiError("invalid_status", { description: "This account is blocked" });
  // One batch: the token is used up and the session opened together; of concurrent redemptions
  // only the one whose update changed the token row gets a session.
  if (!(await services.verifications.consumeToken(tokenHash, services.now()))) throw invalidGrant();
  return openSession(services, user);
}
