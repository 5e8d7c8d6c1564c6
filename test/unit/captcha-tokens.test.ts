import { describe, expect, it } from "vitest";
import {
  newChallengeNonce,
  openCaptchaToken,
  openChallenge,
  sealCaptchaToken,
  sealChallenge,
} from "../../src/captcha/captcha-tokens";

const SECRET = '{"keys":[{"kid":"unit-test","d":"a-secret-of-the-test"}]}';
const NOW = 1_760_000_000_000;

const challenge = () => ({ nonce: newChallengeNonce(), answer: "HKMW", expiresAt: NOW + 300_000 });

// Changes one character in the middle of a token, keeping it base64url.
const tamper = (token: string, at = Math.floor(token.length / 2)) =>
  `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;

describe("challenge tokens", () => {
  it("open to what was sealed, under the same secret, before the expiry", async () => {
    const sealed = challenge();
    const token = await sealChallenge(SECRET, sealed);
    expect(token).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    expect(await openChallenge(SECRET, token, NOW)).toEqual(sealed);
    expect(await openChallenge(SECRET, token, sealed.expiresAt - 1)).toEqual(sealed);
  });

  it("do not carry the answer or the nonce in the clear, and differ each time", async () => {
    const sealed = challenge();
    const token = await sealChallenge(SECRET, sealed);
    expect(token).not.toContain("HKMW");
    expect(token).not.toContain(sealed.nonce);
    expect(await sealChallenge(SECRET, sealed)).not.toBe(token);
  });

  it("do not open from the expiry on", async () => {
    const sealed = challenge();
    const token = await sealChallenge(SECRET, sealed);
    expect(await openChallenge(SECRET, token, sealed.expiresAt)).toBeUndefined();
    expect(await openChallenge(SECRET, token, sealed.expiresAt + 60_000)).toBeUndefined();
  });

  it("do not open when altered anywhere, truncated or not base64url", async () => {
    const token = await sealChallenge(SECRET, challenge());
    for (const at of [0, 5, 20, token.length - 2]) expect(await openChallenge(SECRET, tamper(token, at), NOW)).toBeUndefined();
    expect(await openChallenge(SECRET, token.slice(0, -4), NOW)).toBeUndefined();
    expect(await openChallenge(SECRET, "", NOW)).toBeUndefined();
    expect(await openChallenge(SECRET, "not base64url!", NOW)).toBeUndefined();
  });

  it("do not open under another secret", async () => {
    const token = await sealChallenge(SECRET, challenge());
    expect(await openChallenge(`${SECRET} `, token, NOW)).toBeUndefined();
  });
});

describe("captcha tokens", () => {
  it("open to their nonce and expiry, and not from the expiry on", async () => {
    const pass = { nonce: newChallengeNonce(), expiresAt: NOW + 10_000 };
    const token = await sealCaptchaToken(SECRET, pass);
    expect(await openCaptchaToken(SECRET, token, NOW)).toEqual(pass);
    expect(await openCaptchaToken(SECRET, token, pass.expiresAt)).toBeUndefined();
    expect(await openCaptchaToken(SECRET, tamper(token), NOW)).toBeUndefined();
    expect(await openCaptchaToken("another secret", token, NOW)).toBeUndefined();
  });

  it("and challenge tokens never pass for one another", async () => {
    const sealed = challenge();
    const challengeToken = await sealChallenge(SECRET, sealed);
    const captchaToken = await sealCaptchaToken(SECRET, { nonce: sealed.nonce, expiresAt: sealed.expiresAt });
    expect(await openCaptchaToken(SECRET, challengeToken, NOW)).toBeUndefined();
    expect(await openChallenge(SECRET, captchaToken, NOW)).toBeUndefined();
  });
});
