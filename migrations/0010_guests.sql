-- Guests (POST /auth/v1/signin/anonymously): a user with no username, contact or password. It
-- becomes a regular user, with the same id, when it binds a contact or sets a password.
ALTER TABLE users ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
