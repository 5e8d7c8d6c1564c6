// AES-256-GCM boxes for small payloads, as base64url text (`iv || ciphertext+tag`). The content
// is secret and authenticated: a box that was altered, forged or sealed under another key does
// not open.
import { fromBase64Url, toBase64Url, utf8 } from "./encoding";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * An AES-256-GCM key derived with HKDF-SHA-256 from a high-entropy secret. `info` names the
 * purpose, so keys for different purposes are unrelated even from one secret. No salt: the
 * secret itself is uniformly random enough for HKDF to extract from.
 */
export async function deriveBoxKey(secret: string, info: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode(info) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

// Derived once per isolate and per (secret, purpose): the secret changes only with a key rotation.
const derived = new Map<string, Promise<CryptoKey>>();

/** deriveBoxKey, memoised per isolate. */
export function boxKeyFor(secret: string, info: string): Promise<CryptoKey> {
  const name = `${info}\n${secret}`;
  let key = derived.get(name);
  if (!key) {
    key = deriveBoxKey(secret, info);
    derived.set(name, key);
  }
  return key;
}

/**
 * Seals `plain` with a fresh random IV. Random 96-bit IVs stay safe for about 2^32 boxes under one
 * key; `additionalData` is authenticated but not carried, so the box opens only beside it.
 */
export async function sealBox(key: CryptoKey, plain: Uint8Array, additionalData = new Uint8Array(0)): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, plain));
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return toBase64Url(out);
}

/** The content of a box, or undefined when it does not open (tampered, forged, other key or data). */
export async function openBox(key: CryptoKey, box: string, additionalData = new Uint8Array(0)): Promise<Uint8Array | undefined> {
  const bytes = fromBase64Url(box);
  if (!bytes || bytes.byteLength < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const iv = bytes.subarray(0, IV_BYTES);
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData }, key, bytes.subarray(IV_BYTES)));
  } catch {
    return undefined;
  }
}
