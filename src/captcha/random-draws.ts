// Random numbers for drawing a captcha, from the Web Crypto CSPRNG: a picture takes a few hundred
// draws, so they are taken from a pool refilled 256 at a time rather than one call per number.
// A predictable generator would let an attacker who saw one picture replay the next one's noise.
import { randomBytes } from "../crypto/random";

const POOL_SIZE = 256;

export class RandomDraws {
  private pool: Uint32Array = new Uint32Array(0);
  private next = 0;

  /** Uniform in [0, 1). */
  unit(): number {
    if (this.next === this.pool.length) {
      this.pool = new Uint32Array(randomBytes(POOL_SIZE * 4).buffer);
      this.next = 0;
    }
    return this.pool[this.next++]! / 2 ** 32;
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + this.unit() * (high - low);
  }

  /** Uniform integer in [0, count). */
  below(count: number): number {
    return Math.floor(this.unit() * count);
  }
}
