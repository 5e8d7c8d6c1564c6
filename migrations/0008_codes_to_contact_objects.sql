-- Verification codes, per-contact send limits and verification tokens live in a Durable Object per
-- contact (src/contacts/contact-object.ts); the per-IP send budget in a RateWindow object. Codes
-- and verification tokens in flight at the upgrade stop working (the user asks for a new code).
-- D1 now holds only the user directory and the admin settings, so the daily clean-up is gone:
-- every object sweeps its own state with an alarm.
DROP TABLE verifications;
DROP TABLE verification_tokens;
DROP TABLE send_probes;
