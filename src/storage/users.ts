// Users in D1. All user SQL lives here.

export type UserStatus = "ACTIVE" | "BLOCKED";

export interface User {
  id: string;
  username: string | null;
  phone: string | null;
  email: string | null;
  name: string | null;
  passwordHash: string | null;
  status: UserStatus;
  createdAt: number;
  updatedAt: number;
}

/** A users row as D1 returns it. */
export interface UserRow {
  id: string;
  username: string | null;
  phone: string | null;
  email: string | null;
  name: string | null;
  password_hash: string | null;
  status: UserStatus;
  created_at: number;
  updated_at: number;
}

/** How a sign-in identifier may match: each present key is tried, in the order username, email, phone. */
export interface IdentifierLookup {
  username?: string;
  email?: string;
  phone?: string;
}

export type NewUser = Omit<User, "createdAt" | "updatedAt" | "status"> & { status?: UserStatus };

export interface UserChanges {
  name?: string | null;
  passwordHash?: string | null;
  status?: UserStatus;
}

/** Thrown when a unique username, phone or email is taken. */
export class UserConflictError extends Error {
  override readonly name = "UserConflictError";
}

const COLUMN_NAMES = ["id", "username", "phone", "email", "name", "password_hash", "status", "created_at", "updated_at"];
const COLUMNS = COLUMN_NAMES.join(", ");

/** The users columns qualified with a table alias, for joins elsewhere in storage/. */
export const userColumnsOf = (alias: string) => COLUMN_NAMES.map((name) => `${alias}.${name}`).join(", ");

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    phone: row.phone,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/i.test(err.message);
}

export class D1UserStore {
  constructor(private readonly db: D1Database) {}

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?1`).bind(id).first<UserRow>();
    return row ? userFromRow(row) : undefined;
  }

  /** One query for all the ways an identifier may name a user; an exact username wins. */
  async findByIdentifier(lookup: IdentifierLookup): Promise<User | undefined> {
    const row = await this.db
      .prepare(
        `SELECT ${COLUMNS} FROM users
         WHERE username = ?1 OR email = ?2 OR phone = ?3
         ORDER BY CASE WHEN username = ?1 THEN 0 WHEN email = ?2 THEN 1 ELSE 2 END
         LIMIT 1`,
      )
      .bind(lookup.username ?? null, lookup.email ?? null, lookup.phone ?? null)
      .first<UserRow>();
    return row ? userFromRow(row) : undefined;
  }

  async insert(user: NewUser, now: number): Promise<User> {
    const created: User = { ...user, status: user.status ?? "ACTIVE", createdAt: now, updatedAt: now };
    try {
      await this.db
        .prepare(`INSERT INTO users (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`)
        .bind(
          created.id,
          created.username,
          created.phone,
          created.email,
          created.name,
          created.passwordHash,
          created.status,
          now,
          now,
        )
        .run();
    } catch (err) {
      if (isUniqueViolation(err)) throw new UserConflictError("username, phone or email taken");
      throw err;
    }
    return created;
  }

  /** Applies the given changes, with any further writes in the same batch; undefined when no such user. */
  async update(id: string, changes: UserChanges, now: number, alongside: D1PreparedStatement[] = []): Promise<User | undefined> {
    const update = this.db
      .prepare(
        `UPDATE users SET
           name = CASE WHEN ?2 THEN ?3 ELSE name END,
           password_hash = CASE WHEN ?4 THEN ?5 ELSE password_hash END,
           status = COALESCE(?6, status),
           updated_at = ?7
         WHERE id = ?1
         RETURNING ${COLUMNS}`,
      )
      .bind(
        id,
        changes.name !== undefined ? 1 : 0,
        changes.name ?? null,
        changes.passwordHash !== undefined ? 1 : 0,
        changes.passwordHash ?? null,
        changes.status ?? null,
        now,
      );
    const [result] = await this.db.batch<UserRow>([update, ...alongside]);
    const row = result?.results[0];
    return row ? userFromRow(row) : undefined;
  }

  /** The statement that stores a fresh hash after a sign-in; batched with the session writes. */
  rehashStatement(id: string, passwordHash: string, now: number): D1PreparedStatement {
    return this.db.prepare("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1").bind(id, passwordHash, now);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.prepare("DELETE FROM users WHERE id = ?1").bind(id).run();
    return result.meta.changes > 0;
  }
}

/** The user as the API shows it (`/user/me`, admin): no hash, absent values as null. */
export function publicUser(user: User) {
  return {
    sub: user.id,
    username: user.username,
    name: user.name,
    phone_number: user.phone,
    email: user.email,
    status: user.status,
    created_at: new Date(user.createdAt).toISOString(),
    updated_at: new Date(user.updatedAt).toISOString(),
    has_password: user.passwordHash !== null,
  };
}
