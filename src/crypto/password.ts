// Password hashing and checking: PBKDF2-HMAC-SHA256 through Web Crypto, NFKC-normalised input,
// optional pepper, constant-time compare, and the same cost whether or not the user exists.
import { bytesEqual } from "./compare";
import { utf8 } from "./encoding";
import { formatPasswordHash, parsePasswordHash } from "./password-hash-format";
import { randomBytes } from "./random";

/**
 * Deployed Workers throw for PBKDF2 above 100,000 iterations (local workerd does not), so a
 * larger count would work in development and fail every sign-in in production. Never raise it.
 */
export const MAX_PBKDF2_ITERATIONS = 100_000;
/** The cost new hashes are made with. */
export const PBKDF2_ITERATIONS = 100_000;
/**
 * Chained PBKDF2 runs (PASSWORD_HASH_ROUNDS) raise the cost past the per-call cap: each run takes
 * the previous run's output as its password. Bounded, as each round is ~10 ms of CPU per sign-in.
 */
export const MAX_HASH_ROUNDS = 10;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export interface PasswordCheck {
  ok: boolean;
  /** The password matched but the stored hash uses other parameters: store a fresh hash. */
  needsRehash: boolean;
}

// Fixed salt for the decoy derivation run when there is no usable hash to check against.
const DECOY_SALT = new Uint8Array(SALT_BYTES);

export class PasswordHasher {
  private pepperKey?: Promise<CryptoKey>;

  constructor(
    pepper: string | undefined,
    private readonly iterations = PBKDF2_ITERATIONS,
    private readonly rounds = 1,
  ) {
    if (iterations > MAX_PBKDF2_ITERATIONS) {
      throw new RangeError(`PBKDF2 iterations above ${MAX_PBKDF2_ITERATIONS} are refused by deployed Workers`);
    }
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_HASH_ROUNDS) {
      throw new RangeError(`PBKDF2 rounds must be 1..${MAX_HASH_ROUNDS}`);
    }
    if (pepper) {
      this.pepperKey = crypto.subtle.importKey("raw", utf8.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
      ]);
    }
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const peppered = this.pepperKey !== undefined;
    const hash = await this.derive(password, salt, this.iterations, this.rounds, peppered);
    return formatPasswordHash({ peppered, iterations: this.iterations, rounds: this.rounds, salt, hash });
  }

  /**
   * Checks a password against a stored hash. A missing, malformed or unusable hash (iterations over
   * the cap, or peppered while no pepper is configured) still costs one full derivation, so the
   * answer time does not tell an unknown user from a wrong password.
   */
  async verify(password: string, stored: string | null | undefined): Promise<PasswordCheck> {
    const parsed = stored ? parsePasswordHash(stored) : undefined;
    const usable =
      parsed !== undefined &&
      parsed.iterations <= MAX_PBKDF2_ITERATIONS &&
      parsed.rounds <= MAX_HASH_ROUNDS &&
      (!parsed.peppered || this.pepperKey !== undefined);
    if (!usable) {
      await this.derive(password, DECOY_SALT, this.iterations, this.rounds, this.pepperKey !== undefined);
      return { ok: false, needsRehash: false };
    }
    const { salt, iterations, rounds, peppered } = parsed;
    const candidate = await this.derive(password, salt, iterations, rounds, peppered, parsed.hash.byteLength);
    const ok = bytesEqual(candidate, parsed.hash);
    const current = iterations === this.iterations && rounds === this.rounds && peppered === (this.pepperKey !== undefined);
    return { ok, needsRehash: ok && (!current || parsed.hash.byteLength !== HASH_BYTES) };
  }

  private async derive(
    password: string,
    salt: Uint8Array,
    iterations: number,
    rounds: number,
    peppered: boolean,
    length = HASH_BYTES,
  ): Promise<Uint8Array> {
    // Checked again here so no code path can ask the runtime for more than deployed Workers allow.
    if (iterations > MAX_PBKDF2_ITERATIONS) throw new RangeError("PBKDF2 iteration cap exceeded");
    let input: Uint8Array = utf8.encode(password.normalize("NFKC"));
    if (peppered && this.pepperKey) {
      input = new Uint8Array(await crypto.subtle.sign("HMAC", await this.pepperKey, input));
    }
    // Each round is one PBKDF2 call within the cap, keyed by the previous round's output.
    for (let round = 0; round < rounds; round++) {
      const key = await crypto.subtle.importKey("raw", input, "PBKDF2", false, ["deriveBits"]);
      input = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, length * 8));
    }
    return input;
  }
}
