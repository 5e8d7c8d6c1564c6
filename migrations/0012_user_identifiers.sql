-- One identifier names at most one account, whichever column holds it (docs/security.md, "One
-- identifier, one account"). Password sign-in takes a username, an email or a phone in one field, so
-- a username equal to another user's email would shadow that email. Every identifier a user holds
-- is kept here in the form sign-in looks it up in, under a PRIMARY KEY: the database refuses a
-- second account for it, atomically, whatever path writes the user.
--
-- The form (the key): an email or a phone as stored (normalised by src/auth/identifiers.ts); a
-- username as written, except one that reads as an email, which is keyed as that email (lower-case,
-- one trailing dot dropped), as `usernameKey` in src/auth/identifiers.ts computes it. The two must
-- agree: test/unit/identifier-keys.test.ts checks them against each other. A username can never
-- equal a phone (usernames hold no space and never start with "+").
CREATE TABLE user_identifiers (
  identifier TEXT PRIMARY KEY,                  -- the key, as above
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX user_identifiers_by_user ON user_identifiers(user_id);

-- The keys of every user's identifiers, one row per column that holds one.
CREATE VIEW user_identifier_keys (user_id, kind, identifier) AS
  SELECT id, 'username',
         CASE WHEN instr(t, '@') > 1 AND instr(d, '@') = 0 AND instr(d, '.') > 1
                   AND substr(d, -1) <> '.' AND instr(d, '..') = 0
              THEN t ELSE username END
    FROM (SELECT id, username, t, substr(t, instr(t, '@') + 1) AS d
            FROM (SELECT id, username,
                         lower(CASE WHEN username LIKE '%.' THEN substr(username, 1, length(username) - 1) ELSE username END) AS t
                    FROM users WHERE username IS NOT NULL))
  UNION ALL SELECT id, 'email', email FROM users WHERE email IS NOT NULL
  UNION ALL SELECT id, 'phone', phone FROM users WHERE phone IS NOT NULL;

-- Kept in step by the database itself, in the statement that writes the user: an insert or an
-- update whose identifier another account holds fails as a whole ("UNIQUE constraint failed"). A
-- user may hold one key under two columns (username and email alike). Deleting a user deletes its
-- keys (ON DELETE CASCADE).
CREATE TRIGGER user_identifiers_on_insert AFTER INSERT ON users BEGIN
  INSERT INTO user_identifiers (identifier, user_id)
    SELECT DISTINCT identifier, user_id FROM user_identifier_keys WHERE user_id = NEW.id;
END;

-- Keys the user no longer holds go; the keys of the columns that changed come in. (Only those: a
-- user left without a key by the back-fill below keeps being able to change other columns.)
CREATE TRIGGER user_identifiers_on_update AFTER UPDATE OF username, email, phone ON users BEGIN
  DELETE FROM user_identifiers
   WHERE user_id = NEW.id
     AND identifier NOT IN (SELECT identifier FROM user_identifier_keys WHERE user_id = NEW.id);
  INSERT INTO user_identifiers (identifier, user_id)
    SELECT DISTINCT identifier, user_id FROM user_identifier_keys
     WHERE user_id = NEW.id
       AND ((kind = 'username' AND NEW.username IS NOT OLD.username)
            OR (kind = 'email' AND NEW.email IS NOT OLD.email)
            OR (kind = 'phone' AND NEW.phone IS NOT OLD.phone))
       AND identifier NOT IN (SELECT identifier FROM user_identifiers WHERE user_id = NEW.id);
END;

-- The back-fill. A database may already hold a clash (a username equal to another user's email):
-- the oldest user keeps the key, the later one is left without it (password sign-in with that
-- identifier reaches the older user only). An operator should list the clashes after upgrading and
-- resolve each (rename the username) with the query in docs/security.md:
--   SELECT k.user_id, k.kind, k.identifier, i.user_id AS held_by
--     FROM user_identifier_keys k JOIN user_identifiers i ON i.identifier = k.identifier
--    WHERE i.user_id <> k.user_id;
INSERT OR IGNORE INTO user_identifiers (identifier, user_id)
  SELECT k.identifier, k.user_id
    FROM user_identifier_keys k JOIN users u ON u.id = k.user_id
   ORDER BY u.created_at, u.id;
