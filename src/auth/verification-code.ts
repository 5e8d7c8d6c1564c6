// Verification codes and the secrets around them: a uniform 6-digit code from the CSPRNG, and the
// hashes that are stored in their place (codes, verification ids and verification tokens).
import { sha256Base64Url } from "../crypto/compare";
import { toBase64Url, utf8 } from "../crypto/encoding";

export const CODE_DIGITS = 6;
const CODE_SPACE = 10 ** CODE_DIGITS;
// The largest multiple of 10^6 below 2^32: values at or above it are drawn again, so every
// code is equally likely (a plain `% 10^6` would favour the low codes slightly).
const UNBIASED_LIMIT = Math.floor(2 ** 32 / CODE_SPACE) * CODE_SPACE;

/** A 6-digit code, zero-padded, uniform over 000000-999999. `random` is injectable for tests. */
export function generateCode(random: () => number = randomUint32): string {
  for (;;) {
    const value = random();
    if (value < UNBIASED_LIMIT) return String(value % CODE_SPACE).padStart(CODE_DIGITS, "0");
  }
}

function randomUint32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/**
 * The stored form of a code: HMAC-SHA256 keyed with the verification id. Only the id's hash is
 * stored, so a leaked table cannot be brute-forced over the 10^6 codes without the id itself.
 */
export async function hashCode(verificationId: string, code: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8.encode(verificationId), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(code))));
}

/** SHA-256 (base64url) of a high-entropy opaque secret: verification ids and tokens, client IPs. */
export function hashSecret(secret: string): Promise<string> {
  return sha256Base64Url(secret);
}
