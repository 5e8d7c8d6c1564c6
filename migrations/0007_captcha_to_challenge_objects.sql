-- Image captcha challenges are stateless sealed tokens; their tries and the single use of the
-- captcha token they yield live in a Durable Object per challenge (src/captcha/challenge-object.ts).
-- Challenges and captcha tokens in flight at the upgrade stop working (a client fetches a new one).
DROP TABLE captcha_challenges;
DROP TABLE captcha_tokens;
