// Keyed HMAC-SHA-256 digests of low-entropy values (client IPs, identifiers). A plain hash of an
// IPv4 address or a phone number is reversed by hashing every candidate; under a key only the
// service holds, it is not. The key is derived (HKDF-SHA-256, one label per purpose) from the
// signing-key secret, like the sealed tokens' keys.
import { utf8 } from "./encoding";

export type KeyedPurpose = "edge-signin/ip-key/v1" | "edge-signin/pseudonym/v1";

// Derived once per isolate, per secret value and purpose (the secret changes only with a rotation).
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string, purpose: KeyedPurpose): Promise<CryptoKey> {
  const name = `${purpose}\u0000${secret}`;
  let key = keys.get(name);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode(purpose) },
          material,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign"],
        ),
      );
    keys.set(name, key);
  }
  return key;
}

/** HMAC-SHA-256 of `value` under the key for `purpose` derived from `secret`. */
export async function keyedDigest(secret: string, purpose: KeyedPurpose, value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret, purpose), utf8.encode(value)));
}
