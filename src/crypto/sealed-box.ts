// AES-256-GCM boxes for small payloads, as base64url text (`iv || ciphertext+tag`). The content
// is secret and authenticated: a box that was altered, forged or sealed under another key does
// not open.
import { deriveKey, derivedKeyFor } from "./derived-keys";
import { fromBase64Url, toBase64Url } from "./encoding";

const IV_BYTES = 12;
const TAG_BYTES = 16;

const AES_GCM: SubtleCryptoImportKeyAlgorithm = { name: "AES-GCM", length: 256 };
const BOX_USAGES: string[] = ["encrypt", "decrypt"];

/** An AES-256-GCM key derived from a high-entropy secret for the purpose `info` (derived-keys.ts). */
export function deriveBoxKey(secret: string, info: string): Promise<CryptoKey> {
  return deriveKey(secret, info, AES_GCM, BOX_USAGES);
}

/** deriveBoxKey, memoised per isolate (for the signing-key secret). */
export function boxKeyFor(secret: string, info: string): Promise<CryptoKey> {
  return derivedKeyFor(secret, info, AES_GCM, BOX_USAGES);
}

/**
 * Seals `plain` with a fresh random IV. Random 96-bit IVs stay safe for about 2^32 boxes under one
 * key; `additionalData` is authenticated but not carried, so the box opens only beside it.
 */
export async function sealBox(key: CryptoKey, plain: Uint8Array, additionalData: Uint8Array = new Uint8Array(0)): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, plain));
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return toBase64Url(out);
}

/** The content of a box, or undefined when it does not open (tampered, forged, other key or data). */
export async function openBox(key: CryptoKey, box: string, additionalData: Uint8Array = new Uint8Array(0)): Promise<Uint8Array | undefined> {
  const bytes = fromBase64Url(box);
  if (!bytes || bytes.byteLength < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const iv = bytes.subarray(0, IV_BYTES);
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData }, key, bytes.subarray(IV_BYTES)));
  } catch {
    return undefined;
  }
}
