// Keeps a rotated-out refresh token's successor recoverable only by whoever holds the previous
// token: an AES-GCM box (src/crypto/sealed-box.ts) under a key derived (HKDF-SHA-256) from the
// previous token's plaintext. The previous token has 256 bits from a CSPRNG, so HKDF needs no salt
// to give a uniform key; each derived key seals exactly one successor, so a random IV never
// repeats under one key.
import { utf8 } from "../crypto/encoding";
import { deriveBoxKey, openBox, sealBox } from "../crypto/sealed-box";

const INFO = "edge-signin/refresh-successor/v1";

/**
 * Seals `successor` for the holder of `previousToken`. `previousHash` (the row's key) is bound as
 * associated data, so a sealed value moved to another row does not open.
 * The successor itself is random, never derived from the previous token: a thief of one token
 * must not be able to compute the rest of the chain.
 */
export async function sealSuccessor(previousToken: string, previousHash: string, successor: string): Promise<string> {
  return sealBox(await deriveBoxKey(previousToken, INFO), utf8.encode(successor), utf8.encode(previousHash));
}

/** The successor sealed for `previousToken`, or undefined when it does not open (wrong token, tampered). */
export async function openSuccessor(previousToken: string, previousHash: string, sealed: string): Promise<string | undefined> {
  const opened = await openBox(await deriveBoxKey(previousToken, INFO), sealed, utf8.encode(previousHash));
  return opened && new TextDecoder().decode(opened);
}
