-- Image captcha challenges and the single-use captcha tokens they are exchanged for.
-- Only hashes are stored: the challenge token, its answer and the captcha token.

CREATE TABLE captcha_challenges (
  token_hash  TEXT PRIMARY KEY,
  answer_hash TEXT NOT NULL,
  tries_left  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);

CREATE TABLE captcha_tokens (
  token_hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
