-- Profile fields a user edits (POST /auth/v1/user/basic/edit, PATCH /auth/v1/user/profile), shown
-- by /auth/v1/user/me under the names the CloudBase clients read. All optional.
ALTER TABLE users ADD COLUMN picture TEXT;      -- an https URL
ALTER TABLE users ADD COLUMN gender TEXT;       -- MALE, FEMALE or UNKNOWN
ALTER TABLE users ADD COLUMN description TEXT;
