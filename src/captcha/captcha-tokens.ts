// The image captcha's two stateless tokens, sealed (AES-GCM) under keys derived from the signing
// key secret: the challenge token {nonce, expiry, answer} and the captcha token {nonce, expiry}.
// Nothing is stored to make either; the nonce names the challenge's Durable Object, which alone
// keeps the tries and the single use.
import { fromBase64Url, toBase64Url, utf8 } from "../crypto/encoding";
import { randomToken } from "../crypto/random";
import { boxKeyFor, openBox, sealBox } from "../crypto/sealed-box";

// One key per token kind, so a captcha token can never pass for a challenge token or back.
const CHALLENGE_INFO = "edge-signin/captcha-challenge/v1";
const CAPTCHA_TOKEN_INFO = "edge-signin/captcha-token/v1";

const NONCE_BYTES = 16;
const EXPIRY_BYTES = 8;

export interface Challenge {
  /** base64url; names the challenge's Durable Object. */
  nonce: string;
  answer: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface CaptchaPass {
  nonce: string;
  expiresAt: number;
}

/** A fresh challenge nonce: 128 random bits, so challenges never share an object. */
export const newChallengeNonce = () => randomToken(NONCE_BYTES);

// Layout of both payloads: nonce (16 bytes) | expiry (uint64 ms, big-endian) | rest (the answer).
function pack(nonce: string, expiresAt: number, rest: Uint8Array): Uint8Array {
  const nonceBytes = fromBase64Url(nonce);
  if (nonceBytes?.byteLength !== NONCE_BYTES) throw new TypeError("a challenge nonce is 16 bytes of base64url");
  const out = new Uint8Array(NONCE_BYTES + EXPIRY_BYTES + rest.byteLength);
  out.set(nonceBytes);
  new DataView(out.buffer).setBigUint64(NONCE_BYTES, BigInt(Math.trunc(expiresAt)));
  out.set(rest, NONCE_BYTES + EXPIRY_BYTES);
  return out;
}

/** The payload of an opened box that has not expired at `now`; undefined otherwise. */
function unpack(bytes: Uint8Array | undefined, now: number) {
  if (!bytes || bytes.byteLength < NONCE_BYTES + EXPIRY_BYTES) return undefined;
  const expiresAt = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(NONCE_BYTES));
  if (now >= expiresAt) return undefined;
  const nonce = toBase64Url(bytes.subarray(0, NONCE_BYTES));
  return { nonce, expiresAt, rest: bytes.subarray(NONCE_BYTES + EXPIRY_BYTES) };
}

export async function sealChallenge(secret: string, challenge: Challenge): Promise<string> {
  const key = await boxKeyFor(secret, CHALLENGE_INFO);
  return sealBox(key, pack(challenge.nonce, challenge.expiresAt, utf8.encode(challenge.answer)));
}

/** The challenge inside a token; undefined when the token is forged, altered or expired at `now`. */
export async function openChallenge(secret: string, token: string, now: number): Promise<Challenge | undefined> {
  const key = await boxKeyFor(secret, CHALLENGE_INFO);
  const payload = unpack(await openBox(key, token), now);
  if (!payload) return undefined;
  return { nonce: payload.nonce, answer: new TextDecoder().decode(payload.rest), expiresAt: payload.expiresAt };
}

export async function sealCaptchaToken(secret: string, pass: CaptchaPass): Promise<string> {
  const key = await boxKeyFor(secret, CAPTCHA_TOKEN_INFO);
  return sealBox(key, pack(pass.nonce, pass.expiresAt, new Uint8Array(0)));
}

/** The pass inside a captcha token; undefined when the token is forged, altered or expired at `now`. */
export async function openCaptchaToken(secret: string, token: string, now: number): Promise<CaptchaPass | undefined> {
  const key = await boxKeyFor(secret, CAPTCHA_TOKEN_INFO);
  const payload = unpack(await openBox(key, token), now);
  return payload && { nonce: payload.nonce, expiresAt: payload.expiresAt };
}
