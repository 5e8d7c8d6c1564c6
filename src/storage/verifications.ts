// Verification codes and verification tokens in D1 (migration 0003). All their SQL lives here.
// Every state change that must not race (a send within the limits, a guess, a redemption) is one
// conditional statement, so D1's single writer makes it atomic.
import type { ContactKind, Usage } from "../auth/verification-contact";
import { userFromRow, type User, type UserRow } from "./users";

const userColumnsOf = (alias: string) =>
  ["id", "username", "phone", "email", "name", "password_hash", "status", "credential_version", "created_at", "updated_at"].map((c) => `${alias}.${c}`).join(", ");
import { CONTACT_WINDOW_MS, COOLDOWN_MS, IP_WINDOW_MS, type SendHistory, type SendLimits } from "../auth/verification-limits";

export interface NewVerification {
  idHash: string;
  kind: ContactKind;
  contact: string;
  usage: Usage;
  codeHash: string;
  ipKey: string;
  now: number;
  expiresAt: number;
}

/** A verification (or token) as far as the next step needs it. */
export interface VerifiedContact {
  kind: ContactKind;
  contact: string;
  usage: Usage;
}

interface HistoryRow {
  contact_latest_at: number | null;
  contact_oldest_at: number | null;
  contact_count: number;
  ip_count: number;
}

interface ContactRow {
  contact_kind: ContactKind;
  contact: string;
  usage: Usage;
}

const toContact = (row: ContactRow): VerifiedContact => ({ kind: row.contact_kind, contact: row.contact, usage: row.usage });

export class D1VerificationStore {
  constructor(private readonly db: D1Database) {}

  /** Earlier sends to this contact (24 h) and from this IP (1 h). */
  async history(contact: string, ipKey: string, now: number): Promise<SendHistory> {
    const row = await this.db
      .prepare(
        `SELECT
           (SELECT MAX(created_at) FROM verifications WHERE contact = ?1 AND created_at > ?2) AS contact_latest_at,
           (SELECT MIN(created_at) FROM verifications WHERE contact = ?1 AND created_at > ?2) AS contact_oldest_at,
           (SELECT COUNT(*) FROM verifications WHERE contact = ?1 AND created_at > ?2) AS contact_count,
           (SELECT COUNT(*) FROM verifications WHERE ip_key = ?3 AND created_at > ?4)
             + (SELECT COUNT(*) FROM send_probes WHERE ip_key = ?3 AND created_at > ?4) AS ip_count`,
      )
      .bind(contact, now - CONTACT_WINDOW_MS, ipKey, now - IP_WINDOW_MS)
      .first<HistoryRow>();
    return {
      contactLatestAt: row?.contact_latest_at ?? null,
      contactOldestAt: row?.contact_oldest_at ?? null,
      contactCount: row?.contact_count ?? 0,
      ipCount: row?.ip_count ?? 0,
    };
  }

  /**
   * Inserts the verification only if the limits still allow it (re-checked inside the statement,
   * so concurrent sends cannot overshoot), and in the same transaction invalidates every earlier
   * code of the contact. False when a concurrent send won the race.
   */
  async reserve(row: NewVerification, limits: SendLimits, captchaPassed: boolean): Promise<boolean> {
    const { now } = row;
    const [, inserted] = await this.db.batch([
      // Housekeeping: rows older than the longest window count for nothing any more.
      this.db.prepare("DELETE FROM verifications WHERE created_at <= ?1").bind(now - CONTACT_WINDOW_MS),
      this.db
        .prepare(
          `INSERT INTO verifications (id_hash, contact_kind, contact, usage, code_hash, attempts, ip_key, created_at, expires_at)
           SELECT ?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8
           WHERE NOT EXISTS (SELECT 1 FROM verifications WHERE contact = ?3 AND created_at > ?9)
             AND (SELECT COUNT(*) FROM verifications WHERE contact = ?3 AND created_at > ?10) < ?11
             AND (?12 OR (SELECT COUNT(*) FROM verifications WHERE ip_key = ?6 AND created_at > ?13)
                         + (SELECT COUNT(*) FROM send_probes WHERE ip_key = ?6 AND created_at > ?13) < ?14)`,
        )
        .bind(
          row.idHash,
          row.kind,
          row.contact,
          row.usage,
          row.codeHash,
          row.ipKey,
          now,
          row.expiresAt,
          now - COOLDOWN_MS,
          now - CONTACT_WINDOW_MS,
          limits.perContactPerDay,
          captchaPassed ? 1 : 0,
          now - IP_WINDOW_MS,
          limits.perIpPerHour,
        ),
      // A new code replaces the old one, but only if the insert above happened.
      this.db
        .prepare(
          `UPDATE verifications SET code_hash = NULL
           WHERE contact = ?1 AND id_hash != ?2 AND code_hash IS NOT NULL
             AND EXISTS (SELECT 1 FROM verifications WHERE id_hash = ?2)`,
        )
        .bind(row.contact, row.idHash),
    ]);
    return (inserted?.meta.changes ?? 0) === 1;
  }

  /** Counts a send stopped by its target check against the IP's hourly budget. */
  async recordProbe(ipKey: string, now: number): Promise<void> {
    await this.db.batch([
      this.db.prepare("DELETE FROM send_probes WHERE created_at <= ?1").bind(now - IP_WINDOW_MS),
      this.db.prepare("INSERT INTO send_probes (ip_key, created_at) VALUES (?1, ?2)").bind(ipKey, now),
    ]);
  }

  /** Forgets a verification whose send failed: it counts against no limit and leaves no code. */
  async discard(idHash: string): Promise<void> {
    await this.db.prepare("DELETE FROM verifications WHERE id_hash = ?1").bind(idHash).run();
  }

  /**
   * Spends one of the `maxAttempts` guesses of a live verification and returns its code hash;
   * undefined when it is unknown, expired, used, superseded or out of guesses. The increment and
   * the check are one statement, so concurrent guesses never get more than `maxAttempts` looks.
   */
  async spendAttempt(idHash: string, now: number, maxAttempts: number): Promise<(VerifiedContact & { codeHash: string }) | undefined> {
    const row = await this.db
      .prepare(
        `UPDATE verifications SET attempts = attempts + 1
         WHERE id_hash = ?1 AND code_hash IS NOT NULL AND attempts < ?3 AND expires_at > ?2
         RETURNING contact_kind, contact, usage, code_hash`,
      )
      .bind(idHash, now, maxAttempts)
      .first<ContactRow & { code_hash: string }>();
    return row ? { ...toContact(row), codeHash: row.code_hash } : undefined;
  }

  /** Marks a verification as used once its code matched; false if a concurrent guess did first. */
  async claim(idHash: string, codeHash: string): Promise<boolean> {
    const result = await this.db
      .prepare("UPDATE verifications SET code_hash = NULL WHERE id_hash = ?1 AND code_hash = ?2")
      .bind(idHash, codeHash)
      .run();
    return result.meta.changes === 1;
  }

  async insertToken(tokenHash: string, verified: VerifiedContact, now: number, expiresAt: number): Promise<void> {
    await this.db.batch([
      this.db.prepare("DELETE FROM verification_tokens WHERE expires_at <= ?1").bind(now),
      this.db
        .prepare(
          `INSERT INTO verification_tokens (token_hash, contact_kind, contact, usage, created_at, expires_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
        )
        .bind(tokenHash, verified.kind, verified.contact, verified.usage, now, expiresAt),
    ]);
  }

  /** The contact of an unused, unexpired token, without using it up. */
  async peekToken(tokenHash: string, now: number): Promise<VerifiedContact | undefined> {
    const row = await this.db
      .prepare(
        `SELECT contact_kind, contact, usage FROM verification_tokens
         WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2`,
      )
      .bind(tokenHash, now)
      .first<ContactRow>();
    return row ? toContact(row) : undefined;
  }

  /**
   * A live sign-in token with the user who has its contact, in one read (code sign-in); undefined
   * when the token is unknown, used or expired.
   */
  async peekTokenWithUser(tokenHash: string, now: number): Promise<{ verified: VerifiedContact; user?: User } | undefined> {
    const row = await this.db
      .prepare(
        `SELECT t.contact_kind, t.contact, t.usage, ${userColumnsOf("u")}
         FROM verification_tokens t
         LEFT JOIN users u ON (t.contact_kind = 'phone' AND u.phone = t.contact) OR (t.contact_kind = 'email' AND u.email = t.contact)
         WHERE t.token_hash = ?1 AND t.used_at IS NULL AND t.expires_at > ?2`,
      )
      .bind(tokenHash, now)
      .first<ContactRow & { [K in keyof UserRow]: UserRow[K] | null }>();
    if (!row) return undefined;
    return { verified: toContact(row), user: row.id === null ? undefined : userFromRow(row as ContactRow & UserRow) };
  }

  /** The statement that uses the token up (it changes one row only for the first redemption). */
  consumeTokenStatement(tokenHash: string, now: number): D1PreparedStatement {
    return this.db
      .prepare("UPDATE verification_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2")
      .bind(tokenHash, now);
  }

  /** Uses the token up; exactly one of any number of concurrent calls gets true. */
  async consumeToken(tokenHash: string, now: number): Promise<boolean> {
    const result = await this.consumeTokenStatement(tokenHash, now).run();
    return result.meta.changes === 1;
  }

  /** Gives a consumed token back when the redemption it was consumed for could not complete. */
  async releaseToken(tokenHash: string, usedAt: number): Promise<void> {
    await this.db
      .prepare("UPDATE verification_tokens SET used_at = NULL WHERE token_hash = ?1 AND used_at = ?2")
      .bind(tokenHash, usedAt)
      .run();
  }
}
