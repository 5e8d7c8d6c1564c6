// Users in D1: the directory and its uniqueness rules. All user SQL lives here. One identifier names
// at most one account, whichever column holds it: the database keeps the table of identifiers in
// step with every write of a user, in the same statement, and refuses a clash
// (migrations/0012_user_identifiers.sql). Writes to users must not use INSERT OR IGNORE / OR
// REPLACE: SQLite would apply that policy inside the triggers too. Hot reads go through a read
// replica (the D1 Sessions API): a nearby copy that may lag. Whether a replica's row can be trusted
// is decided by the account's credential stamp (src/accounts/credentials.ts); `...Fresh` reads go
// to the primary.
import type { User as UserAnswer } from "../api/answers";

export type UserStatus = "ACTIVE" | "BLOCKED";
export type Gender = "MALE" | "FEMALE" | "UNKNOWN";

export interface User {
  id: string;
  username: string | null;
  phone: string | null;
  email: string | null;
  name: string | null;
  /** Profile (migration 0009): an https URL, MALE/FEMALE/UNKNOWN, free text. */
  picture: string | null;
  gender: Gender | null;
  description: string | null;
  /** A guest (anonymous sign-in) until it binds a contact or sets a password. */
  anonymous: boolean;
  passwordHash: string | null;
  status: UserStatus;
  /** Raised with every change of password or status (with the account object's stamp). */
  credentialVersion: number;
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
  picture: string | null;
  gender: Gender | null;
  description: string | null;
  anonymous: number;
  password_hash: string | null;
  status: UserStatus;
  credential_version: number;
  created_at: number;
  updated_at: number;
}

/** A contact lookup: the user whose email (tried first) or phone column holds it. */
export interface IdentifierLookup {
  email?: string;
  phone?: string;
}

type ProfileExtras = "picture" | "gender" | "description" | "anonymous";

export type NewUser = Omit<User, "createdAt" | "updatedAt" | "status" | "credentialVersion" | ProfileExtras> &
  Partial<Pick<User, ProfileExtras>> & { status?: UserStatus };

/** What a user edits about themselves. */
export interface Profile {
  name: string | null;
  username: string | null;
  picture: string | null;
  gender: Gender | null;
  description: string | null;
}

/** Only the present keys change; null clears a field. */
export interface UserChanges extends Partial<Profile> {
  phone?: string | null;
  email?: string | null;
  passwordHash?: string | null;
  status?: UserStatus;
  anonymous?: boolean;
}

/** The column of each changeable field. */
const CHANGE_COLUMNS: Record<keyof UserChanges, string> = {
  name: "name",
  username: "username",
  picture: "picture",
  gender: "gender",
  description: "description",
  phone: "phone",
  email: "email",
  passwordHash: "password_hash",
  status: "status",
  anonymous: "anonymous",
};

/** Thrown when a unique username, phone or email is taken (in any column of any other user). */
export class UserConflictError extends Error {
  override readonly name = "UserConflictError";
}

const COLUMNS =
  "id, username, phone, email, name, picture, gender, description, anonymous, password_hash, status, credential_version, created_at, updated_at";
const INSERT_COLUMNS = "id, username, phone, email, name, password_hash, status, created_at, updated_at, anonymous, picture, gender, description";

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    phone: row.phone,
    email: row.email,
    name: row.name,
    picture: row.picture,
    gender: row.gender,
    description: row.description,
    anonymous: row.anonymous === 1,
    passwordHash: row.password_hash,
    status: row.status,
    credentialVersion: row.credential_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const toColumnValue = (value: UserChanges[keyof UserChanges]) => (typeof value === "boolean" ? (value ? 1 : 0) : (value ?? null));

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/i.test(err.message);
}

/** The statement runner of a read: a replica session, or the primary. */
type Reader = Pick<D1Database, "prepare">;

const IDENTIFIER_QUERY = `SELECT ${COLUMNS} FROM users
   WHERE email = ?1 OR phone = ?2
   ORDER BY CASE WHEN email = ?1 THEN 0 ELSE 1 END
   LIMIT 1`;

/** The account holding any of the keys (1 or 2 of them), in whatever column (migrations/0012_user_identifiers.sql). */
const keyQuery = (count: number) =>
  `SELECT ${COLUMNS} FROM users
   WHERE id = (SELECT user_id FROM user_identifiers
               WHERE identifier IN (${Array.from({ length: count }, (_, index) => `?${index + 1}`).join(", ")}) LIMIT 1)`;

export class D1UserStore {
  constructor(private readonly db: D1Database) {}

  /** A read replica near the request: any replica, no bookmark (the stamp guards freshness). */
  private replica(): Reader {
    return this.db.withSession("first-unconstrained");
  }

  private async byId(reader: Reader, id: string): Promise<User | undefined> {
    const row = await reader.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?1`).bind(id).first<UserRow>();
    return row ? userFromRow(row) : undefined;
  }

  /** The user whose email or phone column holds the contact. */
  private async byIdentifier(reader: Reader, lookup: IdentifierLookup): Promise<User | undefined> {
    const row = await reader.prepare(IDENTIFIER_QUERY).bind(lookup.email ?? null, lookup.phone ?? null).first<UserRow>();
    return row ? userFromRow(row) : undefined;
  }

  /** The one user holding any of the identifier keys, as a username, email or phone. */
  private async byKey(reader: Reader, keys: string[]): Promise<User | undefined> {
    const row = await reader.prepare(keyQuery(keys.length)).bind(...keys).first<UserRow>();
    return row ? userFromRow(row) : undefined;
  }

  /** From a read replica: check its credentialVersion against the account's stamp before trusting it. */
  findById(id: string): Promise<User | undefined> {
    return this.byId(this.replica(), id);
  }

  /** From the primary. */
  findByIdFresh(id: string): Promise<User | undefined> {
    return this.byId(this.db, id);
  }

  /** From a read replica (see findById). */
  findByIdentifier(lookup: IdentifierLookup): Promise<User | undefined> {
    return this.byIdentifier(this.replica(), lookup);
  }

  /** From the primary. */
  findByIdentifierFresh(lookup: IdentifierLookup): Promise<User | undefined> {
    return this.byIdentifier(this.db, lookup);
  }

  /**
   * Who holds an identifier, in any column: the keys of src/auth/identifiers.ts (a sign-in
   * identifier's `key`, `usernameKey`, or a normalised email or phone). From a read replica (see findById).
   */
  findByKey(...keys: [string, ...string[]]): Promise<User | undefined> {
    return this.byKey(this.replica(), keys);
  }

  /** From the primary. */
  findByKeyFresh(...keys: [string, ...string[]]): Promise<User | undefined> {
    return this.byKey(this.db, keys);
  }

  private insertStatement(created: User): D1PreparedStatement {
    return this.db
      .prepare(`INSERT INTO users (${INSERT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)`)
      .bind(
        created.id,
        created.username,
        created.phone,
        created.email,
        created.name,
        created.passwordHash,
        created.status,
        created.createdAt,
        created.updatedAt,
        created.anonymous ? 1 : 0,
        created.picture,
        created.gender,
        created.description,
      );
  }

  async insert(user: NewUser, now: number): Promise<User> {
    return this.insertWith(user, now, []);
  }

  /**
   * Inserts the user and, in the same transaction, the statements `extra` builds (a linked
   * identity): both or neither. A unique username, phone, email or identity taken meanwhile is a
   * UserConflictError.
   */
  async insertWith(user: NewUser, now: number, extra: ((db: D1Database) => D1PreparedStatement)[]): Promise<User> {
    const created: User = {
      picture: null,
      gender: null,
      description: null,
      anonymous: false,
      ...user,
      status: user.status ?? "ACTIVE",
      credentialVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      if (extra.length === 0) await this.insertStatement(created).run();
      else await this.db.batch([this.insertStatement(created), ...extra.map((build) => build(this.db))]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new UserConflictError("username, phone, email or identity taken");
      throw err;
    }
    return created;
  }

  /**
   * Applies the given changes (the keys present; null clears); undefined when no such user. A
   * change of password or status comes with the credential version the account object handed out
   * for it. A taken username, phone or email throws UserConflictError.
   */
  async update(id: string, changes: UserChanges, now: number, credentialVersion?: number): Promise<User | undefined> {
    const fields = (Object.keys(CHANGE_COLUMNS) as (keyof UserChanges)[]).filter((key) => changes[key] !== undefined);
    // Column names come from the fixed table above, values are bound: ?1 id, ?2 now, ?3 version, ?4... fields.
    const sets = fields.map((key, index) => `${CHANGE_COLUMNS[key]} = ?${index + 4}`);
    try {
      const row = await this.db
        .prepare(
          `UPDATE users SET ${[...sets, "credential_version = MAX(credential_version, COALESCE(?3, 0))", "updated_at = ?2"].join(", ")}
           WHERE id = ?1
           RETURNING ${COLUMNS}`,
        )
        .bind(id, now, credentialVersion ?? null, ...fields.map((key) => toColumnValue(changes[key])))
        .first<UserRow>();
      return row ? userFromRow(row) : undefined;
    } catch (err) {
      if (isUniqueViolation(err)) throw new UserConflictError("username, phone or email taken");
      throw err;
    }
  }

  /**
   * Stores a fresh hash of the same password after a sign-in (the iteration count or pepper
   * changed). Only if the password is still the one that was checked: a change made meanwhile wins.
   */
  async storeRehash(id: string, checkedHash: string, freshHash: string, now: number): Promise<void> {
    await this.db
      .prepare("UPDATE users SET password_hash = ?3, updated_at = ?4 WHERE id = ?1 AND password_hash = ?2")
      .bind(id, checkedHash, freshHash, now)
      .run();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.prepare("DELETE FROM users WHERE id = ?1").bind(id).run();
    return result.meta.changes > 0;
  }
}

/** The user as the API shows it (`/user/me`, admin): no hash, absent values as null. */
/** The user as the API shows it (`User` of src/api/answers.ts). */
export function publicUser(user: User): UserAnswer {
  return {
    sub: user.id,
    username: user.username,
    // The js-sdk derives is_anonymous from `name === "anonymous"`.
    name: user.anonymous ? "anonymous" : user.name,
    picture: user.picture,
    gender: user.gender,
    description: user.description,
    phone_number: user.phone,
    email: user.email,
    status: user.status,
    created_at: new Date(user.createdAt).toISOString(),
    updated_at: new Date(user.updatedAt).toISOString(),
    has_password: user.passwordHash !== null,
  };
}
