// The sessions of one account and their refresh tokens, in the account object's own SQLite
// storage. Refresh tokens are stored only as SHA-256 hashes; a rotated-out token keeps its
// successor only sealed under a key derived from itself (src/auth/successor-seal.ts). Every method
// is synchronous SQL inside the object's single thread, so each one is atomic.
import type { RefreshTokenState } from "../auth/refresh-policy";

export interface NewSession {
  sessionId: string;
  refreshTokenHash: string;
  now: number;
  sessionExpiresAt: number;
  refreshExpiresAt: number;
}

export interface Successor {
  hash: string;
  /** The successor sealed for the holder of the presented token. */
  ciphertext: string;
  /** Its lifetime from now, capped by the session's end. */
  ttlMs: number;
}

interface RefreshRow extends Record<string, SqlStorageValue> {
  session_id: string;
  expires_at: number;
  rotated_at: number | null;
  successor_ciphertext: string | null;
  session_expires_at: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sessions (
    id         TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash           TEXT PRIMARY KEY,
    session_id           TEXT NOT NULL,
    expires_at           INTEGER NOT NULL,
    rotated_at           INTEGER,
    successor_ciphertext TEXT
  );
  CREATE INDEX IF NOT EXISTS refresh_tokens_by_session ON refresh_tokens(session_id);
`;

export class SessionTable {
  private ready = false;

  constructor(private readonly storage: SqlStorage) {}

  /**
   * The tables, created on first use: most account keys (unknown sign-in names, accounts that only
   * ever see failed attempts) never hold a session and need no schema.
   */
  private get sql(): SqlStorage {
    if (!this.ready) {
      this.storage.exec(SCHEMA);
      this.ready = true;
    }
    return this.storage;
  }

  open(session: NewSession): void {
    this.sql.exec("INSERT INTO sessions (id, created_at, expires_at) VALUES (?, ?, ?)", session.sessionId, session.now, session.sessionExpiresAt);
    this.sql.exec(
      "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)",
      session.refreshTokenHash,
      session.sessionId,
      session.refreshExpiresAt,
    );
  }

  /** A presented refresh token with its session; undefined when unknown (or its session ended). */
  findRefresh(tokenHash: string): RefreshTokenState | undefined {
    const row = this.sql
      .exec<RefreshRow>(
        `SELECT rt.session_id, rt.expires_at, rt.rotated_at, rt.successor_ciphertext, s.expires_at AS session_expires_at
         FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE rt.token_hash = ?`,
        tokenHash,
      )
      .toArray()[0];
    if (!row) return undefined;
    return {
      sessionId: row.session_id,
      expiresAt: row.expires_at,
      rotatedAt: row.rotated_at,
      successorCiphertext: row.successor_ciphertext,
      sessionExpiresAt: row.session_expires_at,
    };
  }

  /** Marks the token rotated and stores its successor, which never outlives the session. */
  rotate(tokenHash: string, state: RefreshTokenState, successor: Successor, now: number): void {
    this.sql.exec(
      "UPDATE refresh_tokens SET rotated_at = ?, successor_ciphertext = ? WHERE token_hash = ?",
      now,
      successor.ciphertext,
      tokenHash,
    );
    this.sql.exec(
      "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)",
      successor.hash,
      state.sessionId,
      Math.min(now + successor.ttlMs, state.sessionExpiresAt),
    );
  }

  isLive(sessionId: string, now: number): boolean {
    return this.sql.exec("SELECT 1 FROM sessions WHERE id = ? AND expires_at > ?", sessionId, now).toArray().length === 1;
  }

  /**
   * Ends a session: it and every refresh token of it are deleted, so a rotated-out token of an
   * ended session is simply unknown (invalid_grant), as is the newest one.
   */
  end(sessionId: string): void {
    this.sql.exec("DELETE FROM refresh_tokens WHERE session_id = ?", sessionId);
    this.sql.exec("DELETE FROM sessions WHERE id = ?", sessionId);
  }

  /** Ends every session, or every one but `keep`. */
  endAll(keep?: string): void {
    this.sql.exec("DELETE FROM refresh_tokens WHERE session_id IS NOT ?", keep ?? null);
    this.sql.exec("DELETE FROM sessions WHERE id IS NOT ?", keep ?? null);
  }

  /**
   * Removes what no longer matters: ended sessions with their tokens, expired tokens that were
   * never rotated, and sealed successors past the reuse grace window (the rotated-out token's row
   * itself stays for the session's life: presenting it later is reuse). Returns when to look again.
   */
  sweep(now: number, graceMs: number | undefined): number | undefined {
    this.sql.exec("DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE expires_at <= ?)", now);
    this.sql.exec("DELETE FROM sessions WHERE expires_at <= ?", now);
    this.sql.exec("DELETE FROM refresh_tokens WHERE rotated_at IS NULL AND expires_at <= ?", now);
    if (graceMs !== undefined) {
      this.sql.exec("UPDATE refresh_tokens SET successor_ciphertext = NULL WHERE rotated_at <= ?", now - graceMs);
    }
    const sessionEnd = this.sql.exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM sessions").one().at;
    const sealedEnd =
      graceMs === undefined
        ? null
        : this.sql
            .exec<{ at: number | null }>("SELECT MIN(rotated_at) AS at FROM refresh_tokens WHERE successor_ciphertext IS NOT NULL")
            .one().at;
    const times = [sessionEnd, sealedEnd === null ? null : sealedEnd + graceMs!].filter((at): at is number => at !== null);
    return times.length ? Math.min(...times) : undefined;
  }

  count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions").one().n;
  }
}
