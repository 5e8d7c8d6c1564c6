// Checking a code (contract §3): at most MAX_ATTEMPTS evaluated guesses per verification, one
// success, and a single-use verification_token bound to the contact and usage in exchange.
import { bytesEqual } from "../crypto/compare";
import { fromBase64Url } from "../crypto/encoding";
import { randomToken } from "../crypto/random";
import { ApiError } from "../errors";
import type { Services } from "../services";
import { hashCode, hashSecret } from "./verification-code";

export const MAX_ATTEMPTS = 5;
export const VERIFICATION_TOKEN_TTL_SECONDS = 600;

// Verification ids are 32 random bytes in base64url; anything else cannot be one.
const VERIFICATION_ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface VerifyResponse {
  verification_token: string;
  expires_in: number;
}

const wrongCode = () => new ApiError("invalid_verification_code");

export async function verifyCode(services: Services, verificationId: string, code: string): Promise<VerifyResponse> {
  if (!VERIFICATION_ID_FORMAT.test(verificationId)) throw wrongCode();
  const { verifications } = services;
  const idHash = await hashSecret(verificationId);
  // The guess is counted before it is evaluated, in one statement with the limit check.
  const live = await verifications.spendAttempt(idHash, services.now(), MAX_ATTEMPTS);
  if (!live) throw wrongCode();
  const presented = fromBase64Url(await hashCode(verificationId, code));
  const expected = fromBase64Url(live.codeHash);
  if (!presented || !expected || !bytesEqual(presented, expected)) throw wrongCode();
  // Two concurrent right guesses: only one claims the verification and gets a token.
  if (!(await verifications.claim(idHash, live.codeHash))) throw wrongCode();

  const token = randomToken(32);
  const now = services.now();
  await verifications.insertToken(
    await hashSecret(token),
    { kind: live.kind, contact: live.contact, usage: live.usage },
    now,
    now + VERIFICATION_TOKEN_TTL_SECONDS * 1000,
  );
  return { verification_token: token, expires_in: VERIFICATION_TOKEN_TTL_SECONDS };
}
