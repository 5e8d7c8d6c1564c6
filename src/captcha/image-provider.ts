// The self-contained image captcha (contract §7): a challenge with a hashed, expiring answer and
// limited tries, exchanged for a single-use captcha token that lives CAPTCHA_TOKEN_TTL_SECONDS.
import { sha256Base64Url } from "../crypto/compare";
import { randomToken } from "../crypto/random";
import { ApiError } from "../errors";
import type { Services } from "../services";
import { D1CaptchaStore } from "../storage/captcha";
import { randomAnswer, renderCaptchaSvg, svgDataUri } from "./image";

export const CHALLENGE_TTL_SECONDS = 300;
export const CHALLENGE_TRIES = 3;

const store = (services: Services) => new D1CaptchaStore(services.env.DB);

// The answer hash is salted with the challenge token, so equal answers never share a hash.
const answerHash = (challengeToken: string, answer: string) =>
  sha256Base64Url(`${challengeToken}:${answer.replaceAll(" ", "").toUpperCase()}`);

export async function createImageChallenge(services: Services) {
  const token = randomToken(24);
  const answer = randomAnswer();
  const now = services.now();
  await store(services).createChallenge(
    await sha256Base64Url(token),
    await answerHash(token, answer),
    CHALLENGE_TRIES,
    now + CHALLENGE_TTL_SECONDS * 1000,
    now,
  );
  return { data: svgDataUri(renderCaptchaSvg(answer)), type: "image" as const, token, expires_in: CHALLENGE_TTL_SECONDS };
}

/** Checks an answer; the right one (within the tries) yields a captcha token, anything else captcha_invalid. */
export async function solveImageChallenge(services: Services, challengeToken: string, key: string) {
  const captchaStore = store(services);
  const challengeHash = await sha256Base64Url(challengeToken);
  const expected = await captchaStore.spendTry(challengeHash, services.now());
  const presented = await answerHash(challengeToken, key);
  // Compared as hashes of equal length; the answer is short-lived and try-limited anyway.
  if (expected === undefined || expected !== presented) throw new ApiError("captcha_invalid");
  const captchaToken = randomToken(32);
  const ttl = services.config.captchaTokenTtlSeconds;
  await captchaStore.solve(challengeHash, await sha256Base64Url(captchaToken), services.now() + ttl * 1000);
  return { captcha_token: captchaToken, expires_in: ttl };
}

export async function redeemImageCaptchaToken(services: Services, token: string): Promise<boolean> {
  return store(services).redeem(await sha256Base64Url(token), services.now());
}
