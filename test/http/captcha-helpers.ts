// Captcha tokens for tests. The image answer exists only in the picture, so a test replaces the
// stored answer hash of a real challenge with one for a known answer, then solves it through the
// real verify endpoint.
import { env } from "cloudflare:workers";
import { sha256Base64Url } from "../../src/crypto/compare";
import { post } from "./helpers";

export const KNOWN_ANSWER = "KNOWN";

/** A real challenge from POST /auth/v1/captcha/data whose answer is KNOWN_ANSWER. */
export async function knownChallenge(): Promise<string> {
  const { token } = (await (await post("/auth/v1/captcha/data", { state: "s", redirect_uri: "x" })).json()) as { token: string };
  await env.DB.prepare("UPDATE captcha_challenges SET answer_hash = ?2 WHERE token_hash = ?1")
    .bind(await sha256Base64Url(token), await sha256Base64Url(`${token}:${KNOWN_ANSWER}`))
    .run();
  return token;
}

/** A fresh, single-use captcha token obtained through /captcha/data/verify. */
export async function captchaToken(): Promise<string> {
  const token = await knownChallenge();
  const response = await post("/auth/v1/captcha/data/verify", { token, key: KNOWN_ANSWER });
  if (response.status !== 200) throw new Error(`captcha verify failed: ${response.status}`);
  return ((await response.json()) as { captcha_token: string }).captcha_token;
}
