// Image captcha challenges and captcha tokens in D1. Single use is enforced by DELETE ... RETURNING.

export class D1CaptchaStore {
  constructor(private readonly db: D1Database) {}

  async createChallenge(tokenHash: string, answerHash: string, tries: number, expiresAt: number, now: number) {
    await this.db.batch([
      // Expired rows are swept on the way, so the tables stay small without a cron.
      this.db.prepare("DELETE FROM captcha_challenges WHERE expires_at <= ?1").bind(now),
      this.db.prepare("DELETE FROM captcha_tokens WHERE expires_at <= ?1").bind(now),
      this.db
        .prepare("INSERT INTO captcha_challenges (token_hash, answer_hash, tries_left, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(tokenHash, answerHash, tries, expiresAt),
    ]);
  }

  /**
   * Spends one try of a live challenge and returns its answer hash; undefined when the challenge
   * is unknown, expired or out of tries. Atomic, so parallel guesses cannot exceed the tries.
   */
  async spendTry(tokenHash: string, now: number): Promise<string | undefined> {
    const row = await this.db
      .prepare(
        `UPDATE captcha_challenges SET tries_left = tries_left - 1
         WHERE token_hash = ?1 AND expires_at > ?2 AND tries_left > 0
         RETURNING answer_hash`,
      )
      .bind(tokenHash, now)
      .first<{ answer_hash: string }>();
    return row?.answer_hash;
  }

  /** Exchanges a solved challenge for a captcha token, in one batch: the challenge cannot be reused. */
  async solve(challengeHash: string, captchaTokenHash: string, expiresAt: number): Promise<void> {
    await this.db.batch([
      this.db.prepare("DELETE FROM captcha_challenges WHERE token_hash = ?1").bind(challengeHash),
      this.db.prepare("INSERT INTO captcha_tokens (token_hash, expires_at) VALUES (?1, ?2)").bind(captchaTokenHash, expiresAt),
    ]);
  }

  /** Consumes a captcha token; true only for the first use of a live token. */
  async redeem(tokenHash: string, now: number): Promise<boolean> {
    const row = await this.db
      .prepare("DELETE FROM captcha_tokens WHERE token_hash = ?1 AND expires_at > ?2 RETURNING 1 AS ok")
      .bind(tokenHash, now)
      .first<{ ok: number }>();
    return row !== null;
  }
}
