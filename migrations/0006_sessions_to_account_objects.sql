-- Sessions and refresh tokens move into the per-account Durable Objects (src/accounts/): they are
-- decided there, near the user, strongly consistent. Sessions open at the upgrade end (their
-- refresh tokens answer invalid_grant; users sign in again); users are kept.
--
-- credential_version is raised with every change of password or status, together with the stamp
-- the account's Durable Object keeps: a row read from a lagging replica is trusted only once its
-- version has caught up with the stamp (docs/architecture.md).
ALTER TABLE users ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 0;

DROP TABLE refresh_tokens;
DROP TABLE sessions;
