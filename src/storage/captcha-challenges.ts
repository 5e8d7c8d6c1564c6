// Client side of the CaptchaChallenge Durable Objects, one per challenge nonce: the only code that
// touches their binding. An unreachable object fails closed (503 `unavailable`), never as a pass.
import type { Env } from "../env";
import { failClosed } from "./fail-closed";

/** The state of image-captcha challenges: their tries and the single use of their captcha token. */
export interface CaptchaChallengeStore {
  /**
   * Spends one try of the challenge `nonce`; true only for the right answer that solves it, so a
   * challenge yields one captcha token at most. `forgetAt` (epoch ms): when its state may be deleted.
   */
  spendTry(nonce: string, rightAnswer: boolean, forgetAt: number): Promise<boolean>;
  /** Spends the captcha token of the challenge `nonce`: true exactly once, and only after a solve. */
  redeemToken(nonce: string): Promise<boolean>;
}

export function durableCaptchaChallenges(env: Env): CaptchaChallengeStore {
  const challenge = (nonce: string) => env.CAPTCHA_CHALLENGES.get(env.CAPTCHA_CHALLENGES.idFromName(nonce));
  return {
    spendTry: (nonce, rightAnswer, forgetAt) => failClosed(() => challenge(nonce).spendTry(rightAnswer, forgetAt)),
    redeemToken: (nonce) => failClosed(() => challenge(nonce).redeem()),
  };
}
