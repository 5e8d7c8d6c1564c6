// Keys derived with HKDF-SHA-256 from a high-entropy secret, one label (`info`) per purpose, so
// keys for different purposes are unrelated even from one secret. No salt: the secrets used here
// (the signing-key secret, a refresh token) are uniformly random enough for HKDF to extract from.
import { utf8 } from "./encoding";

type KeyAlgorithm = SubtleCryptoImportKeyAlgorithm;

export async function deriveKey(secret: string, info: string, algorithm: KeyAlgorithm, usages: string[]): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode(info) },
    material,
    algorithm,
    false,
    usages,
  );
}

// Derived once per isolate and per (secret, purpose): the secret changes only with a key rotation.
const derived = new Map<string, Promise<CryptoKey>>();

/** deriveKey, memoised per isolate (for long-lived secrets; a purpose label has one algorithm). */
export function derivedKeyFor(secret: string, info: string, algorithm: KeyAlgorithm, usages: string[]): Promise<CryptoKey> {
  const name = `${info}\u0000${secret}`;
  let key = derived.get(name);
  if (!key) {
    key = deriveKey(secret, info, algorithm, usages);
    derived.set(name, key);
  }
  return key;
}
