import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PasswordHasher } from "../../src/crypto/password";
import { call, callWith, createUser, result, signin, uniqueName } from "./helpers";

const invalid = { status: 400, body: expect.objectContaining({ error: "invalid_argument", error_code: 4000 }) };
const wrong = {
  status: 400,
  body: { error: "invalid_username_or_password", error_code: 4003, error_description: "Incorrect username or password" },
};

describe("username rule", () => {
  it.each([
    ["2 characters", "ab"],
    ["48 characters", "a".repeat(48)],
    ["every allowed symbol", "a1-_.:+@Z"],
  ])("accepts %s", async (_label, username) => {
    await createUser({ username, password: "pw-for-edges" });
    expect((await signin({ username, password: "pw-for-edges" })).status).toBe(200);
  });

  it.each([
    ["1 character", "a"],
    ["49 characters", "b".repeat(49)],
    ["a leading underscore", "_abc"],
    ["Chinese", "张三丰"],
    ["a space", "zhang san"],
    ["a control character", "ab\u0007c"],
    ["an empty string", ""],
  ])("refuses %s with invalid_argument", async (_label, username) => {
    expect(await result(await signin({ username, password: "whatever" }))).toMatchObject(invalid);
  });

  it("is case-sensitive: Abc and abc are different accounts", async () => {
    const base = uniqueName("case");
    await createUser({ username: `A${base}`, password: "upper-pass" });
    await createUser({ username: `a${base}`, password: "lower-pass" });
    expect((await signin({ username: `A${base}`, password: "upper-pass" })).status).toBe(200);
    expect(await result(await signin({ username: `a${base}`, password: "upper-pass" }))).toEqual(wrong);
  });
});

describe("password rule", () => {
  it("accepts any Unicode and never case-folds", async () => {
    const username = uniqueName();
    await createUser({ username, password: "Pässwörd 密码 🔑" });
    expect((await signin({ username, password: "Pässwörd 密码 🔑" })).status).toBe(200);
    expect(await result(await signin({ username, password: "pässwörd 密码 🔑" }))).toEqual(wrong);
  });

  it("normalises with NFKC at set and check time", async () => {
    const username = uniqueName();
    await createUser({ username, password: "ｐａｓｓ１２３４５" }); // full-width forms
    expect((await signin({ username, password: "pass12345" })).status).toBe(200);
  });

  it("accepts 256 code points, refuses 257, and never truncates", async () => {
    const username = uniqueName();
    const long = "🔑".repeat(255) + "x"; // 256 code points, 1021 UTF-8 bytes
    await createUser({ username, password: long });
    expect((await signin({ username, password: long })).status).toBe(200);
    expect(await result(await signin({ username, password: long.slice(0, -1) }))).toEqual(wrong);
    expect(await result(await signin({ username, password: long + "y" }))).toMatchObject(invalid);
  });

  it("refuses an empty password and a lone surrogate", async () => {
    expect(await result(await signin({ username: "someone", password: "" }))).toMatchObject(invalid);
    const raw = '{"username":"someone","password":"ab\\ud800cd"}';
    expect(await result(await call("POST", "/auth/v1/signin", { raw }))).toMatchObject(invalid);
  });
});

describe("method selection", () => {
  it("refuses password together with verification_token", async () => {
    const response = await signin({ username: "someone", password: "x", verification_token: "abc" });
    expect(await result(response)).toMatchObject(invalid);
  });

  it("refuses a body with neither method", async () => {
    expect(await result(await signin({ username: "someone" }))).toMatchObject(invalid);
    expect(await result(await signin({}))).toMatchObject(invalid);
  });

  it("refuses a password without a username", async () => {
    expect(await result(await signin({ password: "x" }))).toMatchObject(invalid);
  });

  it.each([
    ["a numeric username", { username: 123, password: "x" }],
    ["an array password", { username: "someone", password: ["x"] }],
    ["a null password", { username: "someone", password: null }],
    ["an object token", { verification_token: {} }],
  ])("refuses %s with field details and no echo", async (_label, body) => {
    const response = await result(await signin(body));
    expect(response).toMatchObject(invalid);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]));
  });

  it("ignores unknown fields, client_id and a stale Authorization header", async () => {
    const username = uniqueName();
    await createUser({ username, password: "pw-extra-fields" });
    const response = await call("POST", "/auth/v1/signin?client_id=abc", {
      body: { username, password: "pw-extra-fields", client_id: "abc", client_secret: "s", extra: true },
      headers: { authorization: "Bearer stale.token.here" },
    });
    expect(response.status).toBe(200);
  });
});

describe("identifiers in username", () => {
  it("accepts the user's phone (spaced or compact) and email (any case) with the password", async () => {
    const username = uniqueName();
    const user = await createUser({
      username,
      password: "pw-by-contact",
      phone_number: "+86 13912345678",
      email: `${username}@Example.com`,
    });
    for (const id of ["+86 13912345678", "+8613912345678", `${username.toUpperCase()}@EXAMPLE.COM`, `${username}@example.com`]) {
      const response = await result(await signin({ username: id, password: "pw-by-contact" }));
      expect(response).toMatchObject({ status: 200, body: { sub: user.sub } });
    }
  });

  it("refuses a phone number that is not valid for its country", async () => {
    expect(await result(await signin({ username: "+86 123", password: "x" }))).toMatchObject(invalid);
  });
});

describe("credential failures", () => {
  it("gives identical bodies for an unknown user and a wrong password", async () => {
    const username = uniqueName();
    await createUser({ username, password: "the-right-one" });
    const unknown = await result(await signin({ username: uniqueName("ghost"), password: "the-right-one" }));
    const wrongPassword = await result(await signin({ username, password: "not-the-right-one" }));
    expect(unknown).toEqual(wrong);
    expect(wrongPassword).toEqual(unknown);
  });

  it("answers password_not_set for a user without a password", async () => {
    const username = uniqueName();
    await createUser({ username });
    expect(await result(await signin({ username, password: "anything" }))).toMatchObject({
      status: 400,
      body: { error: "password_not_set", error_code: 4005 },
    });
  });

  it("answers invalid_status for a blocked user only once the password checks out", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "blocked-pass" });
    await call("PATCH", `/auth/v1/admin/users/${user.sub}`, {
      body: { status: "BLOCKED" },
      headers: { authorization: "Bearer test-admin-token-0123456789abcdef" },
    });
    expect(await result(await signin({ username, password: "wrong" }))).toEqual(wrong);
    const blocked = await signin({ username, password: "blocked-pass" });
    expect(blocked.headers.get("retry-after")).toBeNull();
    expect(await result(blocked)).toMatchObject({ status: 400, body: { error: "invalid_status", error_code: 4006 } });
  });

  it("refuses a stored hash over the iteration cap as a failed check, not a 500", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "capped password" });
    const stored = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?1").bind(user.sub).first<{ password_hash: string }>();
    const overCap = stored!.password_hash.replace("$100000$", "$100001$");
    await env.DB.prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1").bind(user.sub, overCap).run();
    expect(await result(await signin({ username, password: "capped password" }))).toEqual(wrong);
  });

  it("re-hashes an older hash with the current parameters on success", async () => {
    const username = uniqueName();
    const user = await createUser({ username });
    const oldHash = await new PasswordHasher(undefined, 1000).hash("old-params");
    await env.DB.prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1").bind(user.sub, oldHash).run();
    expect((await signin({ username, password: "old-params" })).status).toBe(200);
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?1").bind(user.sub).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect((await signin({ username, password: "old-params" })).status).toBe(200);
  });

  it("uses PASSWORD_PEPPER when configured and records it in the hash", async () => {
    const pepper = { PASSWORD_PEPPER: "pepper-secret-for-tests" };
    const username = uniqueName();
    const created = await callWith(pepper, "POST", "/auth/v1/admin/users", {
      body: { username, password: "peppered-pass" },
      headers: { authorization: "Bearer test-admin-token-0123456789abcdef" },
    });
    const user = (await created.json()) as { sub: string };
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?1").bind(user.sub).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\+pepper\$100000\$/);
    const body = { username, password: "peppered-pass" };
    expect((await callWith(pepper, "POST", "/auth/v1/signin", { body })).status).toBe(200);
    // Without the pepper the hash cannot be checked: a failed check, never a 500.
    expect(await result(await signin(body))).toEqual(wrong);
  });
});
