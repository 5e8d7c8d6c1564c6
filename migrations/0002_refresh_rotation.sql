-- Refresh-token rotation with a reuse grace window (contract §5).
-- The successor's plaintext is kept only encrypted (AES-GCM) under a key derived from the
-- previous token, so a client that presents the previous token again within
-- REFRESH_REUSE_GRACE_SECONDS gets the same successor, and nobody without that token (a
-- database reader included) can recover it. The column is NULL until the token is rotated.
ALTER TABLE refresh_tokens ADD COLUMN successor_ciphertext TEXT;
