// Identifiers and opaque secrets from the Web Crypto CSPRNG.
import { toBase64Url } from "./encoding";

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** An opaque token of `bytes` random bytes (32 = 256 bits), base64url: URL-safe as the clients need. */
export function randomToken(bytes = 32): string {
  return toBase64Url(randomBytes(bytes));
}

const MIN_ID = 1_000_000_000_000_000_000n; // 10^18: the smallest 19-digit number
const ID_SPAN = 9_000_000_000_000_000_000n; // 19-digit numbers: [10^18, 10^19)

/** A user id as CloudBase has them: a 19-digit decimal string (about 63 bits of randomness). */
export function randomUserId(): string {
  const view = new DataView(randomBytes(8).buffer);
  // 2^64 / 9*10^18 leaves a bias under 10^-18 per value: immaterial for an identifier.
  return (MIN_ID + (view.getBigUint64(0) % ID_SPAN)).toString();
}
