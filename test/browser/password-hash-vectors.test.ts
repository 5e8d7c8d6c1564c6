// The Node twin of the Worker's password hashing (scripts/lib/password-hash.mjs, used by the dev
// seed and the bench) reproduces the shared vectors that the Worker is tested against
// (test/unit/password-hash-vectors.test.ts).
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../scripts/lib/password-hash.mjs";
import vectors from "../vectors/password-hashes.json";

describe("the Node password-hash twin", () => {
  it.each(vectors)("makes the shared vector: $password ($iterations iterations)", (vector) => {
    const salt = Buffer.from(vector.salt, "base64url");
    expect(hashPassword(vector.password, { iterations: vector.iterations, rounds: vector.rounds, salt, pepper: vector.pepper })).toBe(vector.stored);
    expect(verifyPassword(vector.password, vector.stored, { pepper: vector.pepper })).toBe(true);
  });
});
