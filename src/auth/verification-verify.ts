// Checking a code (docs/protocol.md §3): one call to the contact's object, which counts the guess before
// it compares it (at most MAX_ATTEMPTS evaluated guesses per code, and once the contact's
// wrong-code budget is spent only codes sent with a captcha), lets the right code verify once,
// and keeps a single-use verification_token bound to the contact and usage in its place.
import type { VerificationVerified } from "../api/answers";
import { ApiError } from "../errors";
import type { Services } from "../services";
import { hashCode } from "./verification-code";

export const VERIFICATION_TOKEN_TTL_SECONDS = 600;

export async function verifyCode(services: Services, verificationId: string, code: string): Promise<VerificationVerified> {
  const now = services.now();
  // Unknown, malformed, expired, superseded, used up and wrong all get the same answer.
  const guess = await services.contacts.spendGuess(
    verificationId,
    await hashCode(verificationId, code),
    now + VERIFICATION_TOKEN_TTL_SECONDS * 1000,
    services.config.contactPolicy,
    now,
  );
  if (guess.kind === "new_code_needed") {
    throw new ApiError("invalid_verification_code", {
      description: "Too many wrong codes for this contact: request a new code (a captcha will be asked)",
    });
  }
  if (guess.kind !== "verified") throw new ApiError("invalid_verification_code");
  return { verification_token: guess.token, expires_in: VERIFICATION_TOKEN_TTL_SECONDS };
}
