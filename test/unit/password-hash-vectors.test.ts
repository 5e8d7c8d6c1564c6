// The Worker checks the hashes the Node twin (scripts/lib/password-hash.mjs: dev seed, bench)
// makes: both read the shared vectors in test/vectors/password-hashes.json, so a change to either
// side's format fails one of the two tests.
import { describe, expect, it } from "vitest";
import { PasswordHasher } from "../../src/crypto/password";
import vectors from "../vectors/password-hashes.json";

describe("password hash vectors made by the Node twin", () => {
  it.each(vectors)("are accepted by the Worker: $password ($iterations iterations)", async (vector) => {
    const hasher = new PasswordHasher(vector.pepper, vector.iterations, vector.rounds ?? 1);
    expect(await hasher.verify(vector.password, vector.stored)).toEqual({ ok: true, needsRehash: false });
    expect((await hasher.verify(`${vector.password}!`, vector.stored)).ok).toBe(false);
  });
});
