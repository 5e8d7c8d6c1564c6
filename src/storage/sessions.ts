// Sessions and their refresh tokens in D1. Refresh tokens are stored only as SHA-256 hashes.

export interface NewSession {
  sessionId: string;
  userId: string;
  refreshTokenHash: string;
  now: number;
  sessionExpiresAt: number;
  refreshExpiresAt: number;
}

export class D1SessionStore {
  constructor(private readonly db: D1Database) {}

  /** The statements that open a session with its first refresh token (run in one batch). */
  createStatements(session: NewSession): D1PreparedStatement[] {
    return [
      this.db
        .prepare("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(session.sessionId, session.userId, session.now, session.sessionExpiresAt),
      this.db
        .prepare("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(session.refreshTokenHash, session.sessionId, session.now, session.refreshExpiresAt),
    ];
  }

  /** Revokes every live session of a user (password change, block). */
  async revokeAllForUser(userId: string, now: number): Promise<void> {
    await this.db
      .prepare("UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL")
      .bind(userId, now)
      .run();
  }
}
