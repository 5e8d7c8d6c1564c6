// Checking a code (contract §3): one call to the contact's object, which counts the guess before
// it compares it (at most MAX_ATTEMPTS evaluated guesses per code), lets the right code verify
// once, and keeps a single-use verification_token bound to the contact and usage in its place.
import { ApiError } from "../errors";
import type { Services } from "../services";
import { hashCode } from "./verification-code";

export const VERIFICATION_TOKEN_TTL_SECONDS = 600;

export interface VerifyResponse {
  verification_token: string;
  expires_in: number;
}

export async function verifyCode(services: Services, verificationId: string, code: string): Promise<VerifyResponse> {
  const now = services.now();
  // Unknown, malformed, expired, superseded, used up and wrong all get the same answer.
  const token = await services.contacts.spendGuess(
    verificationId,
    await hashCode(verificationId, code),
    now + VERIFICATION_TOKEN_TTL_SECONDS * 1000,
    now,
  );
  if (!token) throw new ApiError("invalid_verification_code");
  return { verification_token: token, expires_in: VERIFICATION_TOKEN_TTL_SECONDS };
}
