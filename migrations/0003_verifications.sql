-- Verification codes (phone and email) and the verification tokens they are exchanged for.
-- Only hashes of codes, verification ids and tokens are stored. Times are Unix epoch milliseconds.

-- One row per code that was handed to a sender. Rows stay 24 h after their send (even once
-- verified, superseded or expired) because they are also the per-contact and per-IP send counters.
CREATE TABLE verifications (
  id_hash      TEXT PRIMARY KEY,                -- SHA-256 (base64url) of the verification_id
  contact_kind TEXT NOT NULL CHECK (contact_kind IN ('phone', 'email')),
  contact      TEXT NOT NULL,                   -- normalised: "+86 13800138000" or "user@example.com"
  usage        TEXT NOT NULL CHECK (usage IN ('SIGN_IN', 'REGISTER', 'PASSWORD_RESET')),
  code_hash    TEXT,                            -- HMAC-SHA256(key = verification_id, code); NULL = no longer usable
  attempts     INTEGER NOT NULL DEFAULT 0,      -- evaluated guesses, right or wrong
  ip_key       TEXT NOT NULL,                   -- SHA-256 of the sender's CF-Connecting-IP
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX verifications_by_contact ON verifications(contact, created_at);
CREATE INDEX verifications_by_ip ON verifications(ip_key, created_at);
CREATE INDEX verifications_by_age ON verifications(created_at);

-- Single-use proof of a verified contact, redeemed by signin or signup.
CREATE TABLE verification_tokens (
  token_hash   TEXT PRIMARY KEY,                -- SHA-256 (base64url) of the verification_token
  contact_kind TEXT NOT NULL CHECK (contact_kind IN ('phone', 'email')),
  contact      TEXT NOT NULL,
  usage        TEXT NOT NULL CHECK (usage IN ('SIGN_IN', 'REGISTER', 'PASSWORD_RESET')),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER                          -- set atomically by the one signin/signup that redeems it
);
CREATE INDEX verification_tokens_by_expiry ON verification_tokens(expires_at);
