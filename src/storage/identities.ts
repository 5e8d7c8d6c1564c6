// Linked identities in D1 (migrations/0011_identities.sql): (provider, subject) -> user. All their
// SQL lives here. Lookups by identity read a replica first and the primary on a miss: a link made
// moments ago must sign in, and the caller already holds a provider's proof of the identity, so
// the extra read tells nobody anything.

export interface Identity {
  provider: string;
  subject: string;
  userId: string;
  email: string | null;
  name: string | null;
  createdAt: number;
}

interface IdentityRow {
  provider: string;
  subject: string;
  user_id: string;
  email: string | null;
  name: string | null;
  created_at: number;
}

const COLUMNS = "provider, subject, user_id, email, name, created_at";

const fromRow = (row: IdentityRow): Identity => ({
  provider: row.provider,
  subject: row.subject,
  userId: row.user_id,
  email: row.email,
  name: row.name,
  createdAt: row.created_at,
});

/** Thrown when the identity is linked already, or the user has another identity of that provider. */
export class IdentityConflictError extends Error {
  override readonly name = "IdentityConflictError";
}

type Reader = Pick<D1Database, "prepare">;

/** The insert of a link, for a batch with the insert of its new user (D1UserStore.insertWith). */
export const linkStatement = (identity: Omit<Identity, "createdAt">, now: number) => (db: D1Database) =>
  db
    .prepare(`INSERT INTO identities (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`)
    .bind(identity.provider, identity.subject, identity.userId, identity.email, identity.name, now);

export class D1IdentityStore {
  constructor(private readonly db: D1Database) {}

  private async byIdentity(reader: Reader, provider: string, subject: string): Promise<Identity | undefined> {
    const row = await reader
      .prepare(`SELECT ${COLUMNS} FROM identities WHERE provider = ?1 AND subject = ?2`)
      .bind(provider, subject)
      .first<IdentityRow>();
    return row ? fromRow(row) : undefined;
  }

  /** The link of a provider's subject: a replica first, the primary on a miss. */
  async find(provider: string, subject: string): Promise<Identity | undefined> {
    return (
      (await this.byIdentity(this.db.withSession("first-unconstrained"), provider, subject)) ??
      (await this.byIdentity(this.db, provider, subject))
    );
  }

  /** A user's links, oldest first (from the primary: the user is looking at their own settings). */
  async listForUser(userId: string): Promise<Identity[]> {
    const { results } = await this.db
      .prepare(`SELECT ${COLUMNS} FROM identities WHERE user_id = ?1 ORDER BY created_at, provider`)
      .bind(userId)
      .all<IdentityRow>();
    return results.map(fromRow);
  }

  async link(identity: Omit<Identity, "createdAt">, now: number): Promise<Identity> {
    try {
      await linkStatement(identity, now)(this.db).run();
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed/i.test(err.message)) {
        throw new IdentityConflictError("identity linked already, or the user has one of this provider");
      }
      throw err;
    }
    return { ...identity, createdAt: now };
  }

  /**
   * Unlinks the user's identity of `provider` unless it is the user's last way to sign in (no
   * password, phone, email or other identity). One statement: two concurrent unlinks of a user's
   * last two identities cannot both pass the check.
   */
  async unlinkUnlessLast(userId: string, provider: string): Promise<"unlinked" | "not_linked" | "last"> {
    const result = await this.db
      .prepare(
        `DELETE FROM identities
           WHERE user_id = ?1 AND provider = ?2
             AND ((SELECT COUNT(*) FROM identities WHERE user_id = ?1) > 1
                  OR EXISTS (SELECT 1 FROM users WHERE id = ?1
                               AND (password_hash IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL)))`,
      )
      .bind(userId, provider)
      .run();
    if (result.meta.changes > 0) return "unlinked";
    const still = await this.db
      .prepare("SELECT 1 AS linked FROM identities WHERE user_id = ?1 AND provider = ?2")
      .bind(userId, provider)
      .first<{ linked: number }>();
    return still ? "last" : "not_linked";
  }
}
