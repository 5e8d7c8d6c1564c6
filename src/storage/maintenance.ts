// Periodic clean-up of rows that no longer matter (run by the daily cron trigger). Nothing here
// changes what any request may do: only expired or long-dead state is removed.

const DAY_MS = 86_400_000;

export interface PurgeCounts {
  verifications: number;
  verification_tokens: number;
}

/** Deletes what has expired; returns how many rows each step touched. */
export async function purgeExpired(db: D1Database, now: number): Promise<PurgeCounts> {
  const results = await db.batch([
    // Verifications (and target-check probes) are the send counters for 24 h (1 h) after their send.
    db.prepare("DELETE FROM verifications WHERE created_at <= ?1").bind(now - DAY_MS),
    db.prepare("DELETE FROM verification_tokens WHERE expires_at <= ?1").bind(now),
    db.prepare("DELETE FROM send_probes WHERE created_at <= ?1").bind(now - 3_600_000),
  ]);
  const changes = results.map((result) => result.meta.changes);
  return {
    verifications: changes[0]! + changes[2]!,
    verification_tokens: changes[1]!,
  };
}
