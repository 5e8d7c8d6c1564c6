// Captcha tokens for tests. The image answer exists only in the picture, but a test holds the
// Worker's signing-key secret, so it opens a real challenge token with the Worker's own codec to
// read the answer, then solves it through the real verify endpoint.
import { env } from "cloudflare:workers";
import { openChallenge, sealChallenge, type Challenge } from "../../src/captcha/captcha-tokens";
import { post } from "./helpers";

// The JWT_SIGNING_KEYS the tests give the Worker (vitest.config.ts): the key the tokens are sealed under.
const secret = () => String(env.JWT_SIGNING_KEYS);

export const KNOWN_ANSWER = "KNOWN";

/** A real challenge token from POST /auth/v1/captcha/data. */
export async function newChallenge(): Promise<string> {
  const response = await post("/auth/v1/captcha/data", { state: "s", redirect_uri: "x" });
  if (response.status !== 200) throw new Error(`captcha data failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** What the challenge token seals (its answer among it), opened with the Worker's secret. */
export async function openTestChallenge(token: string): Promise<Challenge> {
  const challenge = await openChallenge(secret(), token, Date.now());
  if (!challenge) throw new Error("the challenge token does not open");
  return challenge;
}

/** Looks at the picture, so to speak: the answer of a challenge token. */
export async function answerOf(token: string): Promise<string> {
  return (await openTestChallenge(token)).answer;
}

/** A challenge token sealed by the test with the Worker's codec and secret (e.g. already expired). */
export async function sealTestChallenge(challenge: Challenge): Promise<string> {
  return sealChallenge(secret(), challenge);
}

/** A real challenge (its nonce and expiry from POST /auth/v1/captcha/data) whose answer is KNOWN_ANSWER. */
export async function knownChallenge(): Promise<string> {
  return sealTestChallenge({ ...(await openTestChallenge(await newChallenge())), answer: KNOWN_ANSWER });
}

/** A fresh, single-use captcha token obtained through /captcha/data/verify. */
export async function captchaToken(): Promise<string> {
  const token = await newChallenge();
  const response = await post("/auth/v1/captcha/data/verify", { token, key: await answerOf(token) });
  if (response.status !== 200) throw new Error(`captcha verify failed: ${response.status}`);
  return ((await response.json()) as { captcha_token: string }).captcha_token;
}
