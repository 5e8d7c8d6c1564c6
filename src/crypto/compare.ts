// Constant-time comparisons, so response timing does not reveal how much of a secret matched.
import { toBase64Url, utf8 } from "./encoding";

/** Byte arrays of equal length compared in constant time; different lengths are simply unequal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return crypto.subtle.timingSafeEqual(a, b);
}

/**
 * Compares a presented secret with the expected one without leaking where they differ or the
 * expected length: both are hashed first, so the compared buffers always have equal length.
 */
export async function secretsEqual(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", utf8.encode(text));
}

/** SHA-256 as base64url: how opaque tokens are stored (never the token itself). */
export async function sha256Base64Url(text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await sha256(text)));
}
