-- Identities at other providers (AUTH_PROVIDERS) linked to users: who a provider's subject is here.
-- A subject of one provider belongs to one user, and a user links at most one identity per
-- provider (so DELETE /auth/v1/user/provider/{provider_id} names exactly one). Times are Unix
-- epoch milliseconds. Deleting a user deletes its identities.
CREATE TABLE identities (
  provider    TEXT NOT NULL,                    -- the entry's id in AUTH_PROVIDERS
  subject     TEXT NOT NULL,                    -- the provider's stable id of the account (OIDC `sub`)
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email       TEXT,                             -- as the provider gave it, for display only
  name        TEXT,                             -- as the provider gave it, for display only
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (provider, subject)
);
CREATE UNIQUE INDEX identities_by_user ON identities(user_id, provider);
