// A Durable Object per image-captcha challenge, named by the challenge's nonce: a thin RPC shell
// around challenge-state.ts. The object's single thread (storage calls hold other calls back)
// makes each try and each redemption atomic, so parallel right answers solve a challenge once.
// An alarm deletes the state once neither the challenge nor its captcha token can be used.
import { DurableObject } from "cloudflare:workers";
import { FRESH_CHALLENGE, redeem, spendTry, type ChallengeState } from "./challenge-state";

const KEY = "state";

export class CaptchaChallenge extends DurableObject {
  private async load(): Promise<ChallengeState | undefined> {
    return this.ctx.storage.get<ChallengeState>(KEY);
  }

  /**
   * Spends one try; true only for the right answer that solves the challenge. `forgetAt` (epoch ms)
   * is when the state may go: the challenge's expiry plus the captcha token's lifetime.
   */
  async spendTry(rightAnswer: boolean, forgetAt: number): Promise<boolean> {
    const before = await this.load();
    const result = spendTry(before ?? FRESH_CHALLENGE, rightAnswer);
    if (result.state === before) return false;
    // Both writes awaited before answering: a try is spent even if the object is evicted next.
    await this.ctx.storage.put(KEY, result.state);
    if (before === undefined) await this.ctx.storage.setAlarm(forgetAt);
    return result.solved;
  }

  /** Spends the captcha token this challenge yielded; true exactly once, and only after a solve. */
  async redeem(): Promise<boolean> {
    const before = await this.load();
    if (before === undefined) return false;
    const result = redeem(before);
    if (result.redeemed) await this.ctx.storage.put(KEY, result.state);
    return result.redeemed;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
