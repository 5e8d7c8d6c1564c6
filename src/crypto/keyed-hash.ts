// Keyed HMAC-SHA-256 digests of low-entropy values (client IPs, identifiers). A plain hash of an
// IPv4 address or a phone number is reversed by hashing every candidate; under a key only the
// service holds, it is not. The key is derived (HKDF-SHA-256, one label per purpose) from the
// signing-key secret, like the sealed tokens' keys.
import { derivedKeyFor } from "./derived-keys";
import { utf8 } from "./encoding";

export type KeyedPurpose = "edge-signin/ip-key/v1" | "edge-signin/pseudonym/v1";

const keyFor = (secret: string, purpose: KeyedPurpose) =>
  derivedKeyFor(secret, purpose, { name: "HMAC", hash: "SHA-256", length: 256 }, ["sign"]);

/** HMAC-SHA-256 of `value` under the key for `purpose` derived from `secret`. */
export async function keyedDigest(secret: string, purpose: KeyedPurpose, value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret, purpose), utf8.encode(value)));
}
