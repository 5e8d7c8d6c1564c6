// Sessions and their refresh tokens in D1. Refresh tokens are stored only as SHA-256 hashes;
// a rotated-out token keeps its successor only sealed under a key derived from itself.
import type { RefreshTokenState } from "../auth/refresh-policy";
import { userFromRow, type User, type UserRow, type UserStatus } from "./users";

export interface NewSession {
  sessionId: string;
  userId: string;
  refreshTokenHash: string;
  now: number;
  sessionExpiresAt: number;
  refreshExpiresAt: number;
}

export interface Rotation {
  tokenHash: string;
  successorHash: string;
  successorCiphertext: string;
  successorExpiresAt: number;
  now: number;
}

/** A session's state beside its user, for `/user/me`: one read. */
export interface SessionUser {
  user: User;
  sessionExpiresAt: number;
  sessionRevokedAt: number | null;
}

interface RefreshRow {
  session_id: string;
  user_id: string;
  expires_at: number;
  rotated_at: number | null;
  successor_ciphertext: string | null;
  session_expires_at: number;
  session_revoked_at: number | null;
  user_status: UserStatus;
}

interface SessionUserRow extends UserRow {
  session_expires_at: number;
  session_revoked_at: number | null;
}

// A rotation only happens on a live session: checked inside the same transaction as the write.
const LIVE_SESSION = "EXISTS (SELECT 1 FROM sessions s WHERE s.id = refresh_tokens.session_id AND s.revoked_at IS NULL AND s.expires_at > ?5)";

export class D1SessionStore {
  constructor(private readonly db: D1Database) {}

  /**
   * The statements that open a session with its first refresh token (run in one batch). With
   * `onlyAfterOneChange`, each inserts only if the statement before it changed exactly one row:
   * placed right after a conditional statement in the same batch (one transaction), the session
   * exists only if that statement took effect.
   */
  createStatements(session: NewSession, onlyAfterOneChange = false): D1PreparedStatement[] {
    const guard = onlyAfterOneChange ? " WHERE changes() = 1" : "";
    return [
      this.db
        .prepare(`INSERT INTO sessions (id, user_id, created_at, expires_at) SELECT ?1, ?2, ?3, ?4${guard}`)
        .bind(session.sessionId, session.userId, session.now, session.sessionExpiresAt),
      this.db
        .prepare(`INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) SELECT ?1, ?2, ?3, ?4${guard}`)
        .bind(session.refreshTokenHash, session.sessionId, session.now, session.refreshExpiresAt),
    ];
  }

  /** A refresh token with its session and user state; undefined when unknown (or its user is gone). */
  async findRefreshToken(tokenHash: string): Promise<RefreshTokenState | undefined> {
    const row = await this.db
      .prepare(
        `SELECT rt.session_id, s.user_id, rt.expires_at, rt.rotated_at, rt.successor_ciphertext,
                s.expires_at AS session_expires_at, s.revoked_at AS session_revoked_at, u.status AS user_status
         FROM refresh_tokens rt
         JOIN sessions s ON s.id = rt.session_id
         JOIN users u ON u.id = s.user_id
         WHERE rt.token_hash = ?1`,
      )
      .bind(tokenHash)
      .first<RefreshRow>();
    if (!row) return undefined;
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      expiresAt: row.expires_at,
      rotatedAt: row.rotated_at,
      successorCiphertext: row.successor_ciphertext,
      sessionExpiresAt: row.session_expires_at,
      sessionRevokedAt: row.session_revoked_at,
      userActive: row.user_status === "ACTIVE",
    };
  }

  /**
   * Rotates a token that has not been rotated yet: inserts the successor and marks the old token
   * in one transaction, both conditional on `rotated_at IS NULL` and a live session. True when this
   * call won; false when another request rotated it first (or the session died meanwhile), in
   * which case nothing was written.
   */
  async rotate(rotation: Rotation): Promise<boolean> {
    const { tokenHash, successorHash, successorCiphertext, successorExpiresAt, now } = rotation;
    const [, marked] = await this.db.batch<{ token_hash: string }>([
      this.db
        .prepare(
          `INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at)
           SELECT ?2, session_id, ?5, ?4 FROM refresh_tokens
           WHERE token_hash = ?1 AND rotated_at IS NULL AND ${LIVE_SESSION}`,
        )
        .bind(tokenHash, successorHash, successorCiphertext, successorExpiresAt, now),
      this.db
        .prepare(
          `UPDATE refresh_tokens SET rotated_at = ?5, successor_hash = ?2, successor_ciphertext = ?3
           WHERE token_hash = ?1 AND rotated_at IS NULL AND ${LIVE_SESSION}
           RETURNING token_hash`,
        )
        .bind(tokenHash, successorHash, successorCiphertext, successorExpiresAt, now),
    ]);
    return (marked?.results.length ?? 0) === 1;
  }

  /** Revokes one session (reuse detected). */
  async revokeSession(sessionId: string, now: number): Promise<void> {
    await this.db
      .prepare("UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
      .bind(sessionId, now)
      .run();
  }

  /** Revokes the session named by an access token's `sid`, if it belongs to `userId` (sign-out). */
  async revokeSessionOfUser(sessionId: string, userId: string, now: number): Promise<void> {
    await this.db
      .prepare("UPDATE sessions SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL")
      .bind(sessionId, userId, now)
      .run();
  }

  /** Revokes the session a refresh token (current or rotated out) belongs to (sign-out). */
  async revokeSessionByRefreshHash(tokenHash: string, now: number): Promise<void> {
    await this.db
      .prepare(
        `UPDATE sessions SET revoked_at = ?2
         WHERE id = (SELECT session_id FROM refresh_tokens WHERE token_hash = ?1) AND revoked_at IS NULL`,
      )
      .bind(tokenHash, now)
      .run();
  }

  /** The statement that revokes every live session of a user (password change, block). */
  revokeAllForUserStatement(userId: string, now: number): D1PreparedStatement {
    return this.db
      .prepare("UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL")
      .bind(userId, now);
  }

  /** The user behind a session, with the session's state; undefined when either is gone. */
  async findSessionUser(sessionId: string, userId: string): Promise<SessionUser | undefined> {
    const row = await this.db
      .prepare(
        `SELECT u.id, u.username, u.phone, u.email, u.name, u.password_hash, u.status, u.created_at, u.updated_at,
                s.expires_at AS session_expires_at, s.revoked_at AS session_revoked_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = ?1 AND s.user_id = ?2`,
      )
      .bind(sessionId, userId)
      .first<SessionUserRow>();
    if (!row) return undefined;
    return {
      user: userFromRow(row),
      sessionExpiresAt: row.session_expires_at,
      sessionRevokedAt: row.session_revoked_at,
    };
  }
}
