// Keeps a rotated-out refresh token's successor recoverable only by whoever holds the previous
// token: AES-GCM under a key derived (HKDF-SHA-256) from the previous token's plaintext.
import { fromBase64Url, toBase64Url, utf8 } from "../crypto/encoding";

const INFO = utf8.encode("edge-signin/refresh-successor/v1");
const IV_BYTES = 12;

// The previous token has 256 bits from a CSPRNG, so HKDF needs no salt to give a uniform key.
// Each derived key seals exactly one successor, so a random IV never repeats under one key.
async function keyFrom(previousToken: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", utf8.encode(previousToken), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Seals `successor` for the holder of `previousToken`. `previousHash` (the row's key) is bound as
 * associated data, so a sealed value moved to another row does not open.
 * The successor itself is random, never derived from the previous token: a thief of one token
 * must not be able to compute the rest of the chain.
 */
export async function sealSuccessor(previousToken: string, previousHash: string, successor: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8.encode(previousHash) },
    await keyFrom(previousToken),
    utf8.encode(successor),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return toBase64Url(out);
}

/** The successor sealed for `previousToken`, or undefined when it does not open (wrong token, tampered). */
export async function openSuccessor(previousToken: string, previousHash: string, sealed: string): Promise<string | undefined> {
  const bytes = fromBase64Url(sealed);
  if (!bytes || bytes.byteLength <= IV_BYTES) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: utf8.encode(previousHash) },
      await keyFrom(previousToken),
      bytes.subarray(IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}
