// The self-contained image captcha (docs/protocol.md §7). Making a challenge does no I/O: the challenge
// token carries its nonce, expiry and answer, sealed (captcha-tokens.ts). Checking an answer and
// redeeming a captcha token each make one call to the challenge's state (tries, single use).
import { secretsEqual } from "../crypto/compare";
import { ApiError } from "../errors";
import type { Services } from "../services";
import { newChallengeNonce, openCaptchaToken, openChallenge, sealCaptchaToken, sealChallenge } from "./captcha-tokens";
import { randomAnswer } from "./answer";
import { captchaImageDataUri } from "./image";

export const CHALLENGE_TTL_SECONDS = 300;

const normalizeAnswer = (key: string) => key.replaceAll(" ", "").toUpperCase();

export async function createImageChallenge(services: Services) {
  const answer = randomAnswer();
  const token = await sealChallenge(services.config.jwtSigningKeys, {
    nonce: newChallengeNonce(),
    answer,
    expiresAt: services.now() + CHALLENGE_TTL_SECONDS * 1000,
  });
  return { data: await captchaImageDataUri(answer), type: "image" as const, token, expires_in: CHALLENGE_TTL_SECONDS };
}

/** Checks an answer; the right one (within the tries) yields a captcha token, anything else captcha_invalid. */
export async function solveImageChallenge(services: Services, challengeToken: string, key: string) {
  const secret = services.config.jwtSigningKeys;
  // A forged, altered or expired challenge is refused before any storage is asked.
  const challenge = await openChallenge(secret, challengeToken, services.now());
  if (!challenge) throw new ApiError("captcha_invalid");
  // Compared in constant time (as hashes), so timing says nothing about how close a guess was.
  const rightAnswer = await secretsEqual(normalizeAnswer(key), challenge.answer);
  const ttlMs = services.config.captchaTokenTtlSeconds * 1000;
  // A wrong answer spends a try too; the state lives as long as a token from this challenge could.
  const solved = await services.captchaChallenges.spendTry(challenge.nonce, rightAnswer, challenge.expiresAt + ttlMs);
  if (!solved) throw new ApiError("captcha_invalid");
  // Never past the state's deletion: a token must not outlive the record of its single use.
  const expiresAt = Math.min(services.now() + ttlMs, challenge.expiresAt + ttlMs);
  const captchaToken = await sealCaptchaToken(secret, { nonce: challenge.nonce, expiresAt });
  return { captcha_token: captchaToken, expires_in: services.config.captchaTokenTtlSeconds };
}

/** Spends a captcha token: true only for the first use of a live token. */
export async function redeemImageCaptchaToken(services: Services, token: string): Promise<boolean> {
  const pass = await openCaptchaToken(services.config.jwtSigningKeys, token, services.now());
  if (!pass) return false; // forged, altered or expired: no storage call
  return services.captchaChallenges.redeemToken(pass.nonce);
}
