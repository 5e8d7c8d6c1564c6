// Node-side twin of src/crypto/password.ts + password-hash-format.ts, for seed and bench scripts.
// Produces exactly the stored format the Worker checks:
//   pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>           (no pepper)
//   pbkdf2-sha256+pepper$<iterations>$<salt b64url>$<hash b64url>    (PBKDF2 input = HMAC-SHA256(pepper, password))
//   ...$<iterations>x<rounds>$...   PBKDF2 run `rounds` times, each keyed by the previous output
//                                   (PASSWORD_HASH_ROUNDS > 1)
// 16-byte salt, 32-byte output, password NFKC-normalised and UTF-8 encoded. Node's pbkdf2 gives the
// same bytes as workerd's Web Crypto.
import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

/** Deployed Workers refuse PBKDF2 above this; keep in step with MAX_PBKDF2_ITERATIONS in src/crypto/password.ts. */
export const MAX_PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

const toBase64Url = (bytes) => Buffer.from(bytes).toString("base64url");

function derive(password, salt, iterations, rounds, pepper, length = HASH_BYTES) {
  if (iterations > MAX_PBKDF2_ITERATIONS) throw new RangeError(`PBKDF2 iterations above ${MAX_PBKDF2_ITERATIONS} are refused by deployed Workers`);
  let input = Buffer.from(password.normalize("NFKC"), "utf8");
  if (pepper) input = createHmac("sha256", Buffer.from(pepper, "utf8")).update(input).digest();
  for (let round = 0; round < rounds; round++) input = pbkdf2Sync(input, salt, iterations, length, "sha256");
  return input;
}

/**
 * Hashes a password in the Worker's stored format. With a non-empty `pepper` (the PASSWORD_PEPPER
 * secret) it uses the peppered scheme, as the Worker does when PASSWORD_PEPPER is set.
 */
export function hashPassword(password, { pepper, iterations = PBKDF2_ITERATIONS, rounds = 1, salt = randomBytes(SALT_BYTES) } = {}) {
  const peppered = Boolean(pepper);
  const hash = derive(password, salt, iterations, rounds, peppered ? pepper : undefined);
  const cost = rounds === 1 ? String(iterations) : `${iterations}x${rounds}`;
  return `${peppered ? "pbkdf2-sha256+pepper" : "pbkdf2-sha256"}$${cost}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/** Checks a password against a stored hash (for tests of this module); false for anything malformed. */
export function verifyPassword(password, stored, { pepper } = {}) {
  const parts = String(stored).split("$");
  if (parts.length !== 4) return false;
  const [scheme, costText, saltText, hashText] = parts;
  if (scheme !== "pbkdf2-sha256" && scheme !== "pbkdf2-sha256+pepper") return false;
  const cost = /^([1-9][0-9]{0,9})(?:x([2-9]|10))?$/.exec(costText);
  if (!cost || Number(cost[1]) > MAX_PBKDF2_ITERATIONS) return false;
  if (scheme === "pbkdf2-sha256+pepper" && !pepper) return false;
  const salt = Buffer.from(saltText, "base64url");
  const expected = Buffer.from(hashText, "base64url");
  const actual = derive(password, salt, Number(cost[1]), Number(cost[2] ?? 1), scheme === "pbkdf2-sha256+pepper" ? pepper : undefined, expected.length);
  return timingSafeEqual(actual, expected);
}
