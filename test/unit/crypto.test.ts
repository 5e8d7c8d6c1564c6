import { describe, expect, it } from "vitest";
import { MAX_PBKDF2_ITERATIONS, PasswordHasher, PBKDF2_ITERATIONS } from "../../src/crypto/password";
import { formatPasswordHash, parsePasswordHash } from "../../src/crypto/password-hash-format";
import { randomToken, randomUserId } from "../../src/crypto/random";

describe("PBKDF2 iteration cap", () => {
  it("stays within what deployed Workers accept", () => {
    expect(MAX_PBKDF2_ITERATIONS).toBe(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(MAX_PBKDF2_ITERATIONS);
  });

  it("refuses to build a hasher above the cap", () => {
    expect(() => new PasswordHasher(undefined, 100_001)).toThrow(RangeError);
  });

  it("refuses a stored hash above the cap as a failed check", async () => {
    const hasher = new PasswordHasher(undefined, 1000);
    const parsed = parsePasswordHash(await hasher.hash("pw"))!;
    const overCap = formatPasswordHash({ ...parsed, iterations: 100_001 });
    expect(await hasher.verify("pw", overCap)).toEqual({ ok: false, needsRehash: false });
  });
});

describe("password hashes", () => {
  it("round-trip through the self-describing format", async () => {
    const stored = await new PasswordHasher(undefined, 1000).hash("secret");
    expect(stored).toMatch(/^pbkdf2-sha256\$1000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(formatPasswordHash(parsePasswordHash(stored)!)).toBe(stored);
  });

  it.each(["", "bcrypt$x", "pbkdf2-sha256$0$a$b", "pbkdf2-sha256$1000$!!$AAAA", "pbkdf2-sha256$1000$AAAAAAAAAAA$"])(
    "rejects the malformed hash %j",
    (stored) => expect(parsePasswordHash(stored)).toBeUndefined(),
  );

  it("verifies the right password, refuses a wrong one, and asks for a rehash of old parameters", async () => {
    const old = await new PasswordHasher(undefined, 1000).hash("secret");
    const current = new PasswordHasher(undefined, 2000);
    expect(await current.verify("secret", old)).toEqual({ ok: true, needsRehash: true });
    expect(await current.verify("Secret", old)).toEqual({ ok: false, needsRehash: false });
    expect(await current.verify("secret", await current.hash("secret"))).toEqual({ ok: true, needsRehash: false });
  });

  it("chains rounds: recorded as <iterations>x<rounds>, checked with the stored rounds, capped", async () => {
    const chained = new PasswordHasher(undefined, 1000, 3);
    const stored = await chained.hash("secret");
    expect(stored).toMatch(/^pbkdf2-sha256\$1000x3\$/);
    expect(parsePasswordHash(stored)).toMatchObject({ iterations: 1000, rounds: 3 });
    expect(await chained.verify("secret", stored)).toEqual({ ok: true, needsRehash: false });
    expect(await new PasswordHasher(undefined, 1000).verify("secret", stored)).toEqual({ ok: true, needsRehash: true });
    expect(await chained.verify("secret", stored.replace("x3$", "x2$"))).toEqual({ ok: false, needsRehash: false });
    expect((await chained.verify("secret", stored.replace("x3$", "x11$"))).ok).toBe(false);
    expect(() => new PasswordHasher(undefined, 1000, 11)).toThrow(RangeError);
  });

  it("makes peppered hashes that need the pepper", async () => {
    const peppered = new PasswordHasher("pepper", 1000);
    const stored = await peppered.hash("secret");
    expect(stored.startsWith("pbkdf2-sha256+pepper$")).toBe(true);
    expect((await peppered.verify("secret", stored)).ok).toBe(true);
    expect((await new PasswordHasher("other", 1000).verify("secret", stored)).ok).toBe(false);
    expect((await new PasswordHasher(undefined, 1000).verify("secret", stored)).ok).toBe(false);
  });

  it("runs a decoy check for a missing hash", async () => {
    expect(await new PasswordHasher(undefined, 1000).verify("anything", null)).toEqual({ ok: false, needsRehash: false });
  });
});

describe("random identifiers", () => {
  it("makes 19-digit user ids", () => {
    for (let i = 0; i < 200; i++) expect(randomUserId()).toMatch(/^[1-9][0-9]{18}$/);
  });

  it("makes 256-bit URL-safe tokens", () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(randomToken());
  });
});
