// Periodic clean-up of rows that no longer matter (run by the daily cron trigger). Nothing here
// changes what any request may do: only expired or long-dead state is removed.

const DAY_MS = 86_400_000;

export interface PurgeCounts {
  sessions: number;
  refresh_tokens: number;
  sealed_successors: number;
  verifications: number;
  verification_tokens: number;
  captcha: number;
}

/** Deletes what has expired; returns how many rows each step touched. */
export async function purgeExpired(db: D1Database, now: number, refreshGraceSeconds: number): Promise<PurgeCounts> {
  const results = await db.batch([
    // Sessions a day past their end or their revocation; their refresh tokens go with them (cascade).
    db
      .prepare("DELETE FROM sessions WHERE expires_at <= ?1 OR (revoked_at IS NOT NULL AND revoked_at <= ?1)")
      .bind(now - DAY_MS),
    db.prepare("DELETE FROM refresh_tokens WHERE expires_at <= ?1").bind(now - DAY_MS),
    // A sealed successor is only needed within the reuse grace window.
    db
      .prepare("UPDATE refresh_tokens SET successor_ciphertext = NULL WHERE successor_ciphertext IS NOT NULL AND rotated_at <= ?1")
      .bind(now - refreshGraceSeconds * 1000),
    // Verifications (and target-check probes) are the send counters for 24 h (1 h) after their send.
    db.prepare("DELETE FROM verifications WHERE created_at <= ?1").bind(now - DAY_MS),
    db.prepare("DELETE FROM verification_tokens WHERE expires_at <= ?1").bind(now),
    db.prepare("DELETE FROM send_probes WHERE created_at <= ?1").bind(now - 3_600_000),
    db.prepare("DELETE FROM captcha_challenges WHERE expires_at <= ?1").bind(now),
    db.prepare("DELETE FROM captcha_tokens WHERE expires_at <= ?1").bind(now),
  ]);
  const changes = results.map((result) => result.meta.changes);
  return {
    sessions: changes[0]!,
    refresh_tokens: changes[1]!,
    sealed_successors: changes[2]!,
    verifications: changes[3]! + changes[5]!,
    verification_tokens: changes[4]!,
    captcha: changes[6]! + changes[7]!,
  };
}
