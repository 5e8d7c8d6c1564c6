-- Users, sessions with their refresh tokens, and admin settings.
-- Times are Unix epoch milliseconds.

CREATE TABLE users (
  id            TEXT PRIMARY KEY,               -- 19-digit decimal string
  username      TEXT UNIQUE,                    -- case-sensitive, as submitted
  phone         TEXT UNIQUE,                    -- spaced E.164, e.g. "+86 13800138000"
  email         TEXT UNIQUE,                    -- trimmed and lower-cased
  name          TEXT,
  password_hash TEXT,                           -- self-describing PBKDF2 string, NULL = no password
  status        TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'BLOCKED')),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,                 -- hard end: SESSION_MAX_AGE_SECONDS after creation
  revoked_at  INTEGER
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- Refresh tokens are stored only as SHA-256 hashes (base64url).
CREATE TABLE refresh_tokens (
  token_hash     TEXT PRIMARY KEY,
  session_id     TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  rotated_at     INTEGER,                       -- set when a successor was issued
  successor_hash TEXT
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
