// Redeeming a verification_token (contract §3): look first (a 404 or 409 must not use it up),
// then consume it atomically, and give it back if the redemption could not complete.
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { VerifiedContact } from "../storage/verifications";
import { usageAllowsSignin } from "./verification-contact";
import { hashSecret } from "./verification-code";

export interface PresentedToken {
  tokenHash: string;
  verified: VerifiedContact;
}

export const invalidGrant = () => new ApiError("invalid_grant", { description: "The verification token is invalid, expired or used" });

/** The contact a live sign-in/sign-up token proves, without consuming it; invalid_grant otherwise. */
export async function inspectToken(services: Services, token: string): Promise<PresentedToken> {
  const tokenHash = await hashSecret(token);
  const verified = await services.verifications.peekToken(tokenHash, services.now());
  // A PASSWORD_RESET token proves the contact for a reset only.
  if (!verified || !usageAllowsSignin(verified.usage)) throw invalidGrant();
  return { tokenHash, verified };
}

/** Uses the token up; of concurrent redemptions exactly one gets past this. Returns the use stamp. */
export async function consumeToken(services: Services, token: PresentedToken): Promise<number> {
  const usedAt = services.now();
  if (!(await services.verifications.consumeToken(token.tokenHash, usedAt))) throw invalidGrant();
  return usedAt;
}

/** Gives the token back (e.g. signup hit a taken username after consuming it). */
export function releaseToken(services: Services, token: PresentedToken, usedAt: number): Promise<void> {
  return services.verifications.releaseToken(token.tokenHash, usedAt);
}
