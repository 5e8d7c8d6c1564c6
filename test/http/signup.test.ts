import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, callWith, createUser, jsonOf, result, signin, uniqueName } from "./helpers";
import { postWith, uniqueEmail, uniquePhone, verifiedToken } from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const signup = (body: unknown) => postWith("/auth/v1/signup", body);
const invalidGrant = { status: 400, body: { error: "invalid_grant" } };

async function userOf(sub: string) {
  return jsonOf(await admin("GET", `/auth/v1/admin/users/${sub}`));
}

describe("POST /auth/v1/signup", () => {
  it("creates a user with the verified phone, username, password and name, and signs them in", async () => {
    const phone = uniquePhone();
    const username = uniqueName("new");
    const token = await verifiedToken(phone, "REGISTER");
    const response = await signup({ verification_token: token, username, password: "a new password", name: "New User" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await jsonOf(response);
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "sub", "token_type"]);
    expect(await userOf(String(body.sub))).toMatchObject({
      username,
      phone_number: phone,
      email: null,
      name: "New User",
      status: "ACTIVE",
      has_password: true,
    });
    expect(await result(await signin({ username, password: "a new password" }))).toMatchObject({
      status: 200,
      body: { sub: body.sub },
    });
    expect(await result(await signin({ username: phone.replace(" ", ""), password: "a new password" }))).toMatchObject({
      status: 200,
      body: { sub: body.sub },
    });
  });

  it("creates an email-only user from just a token (a SIGN_IN token works too)", async () => {
    const email = uniqueEmail();
    const token = await verifiedToken(email);
    const { status, body } = await result(await signup({ verification_token: token }));
    expect(status).toBe(200);
    expect(await userOf(String(body.sub))).toMatchObject({
      username: null,
      email,
      phone_number: null,
      has_password: false,
    });
  });

  it("ignores the phone_number, email and verification_code fields clients also send", async () => {
    const phone = uniquePhone();
    const token = await verifiedToken(phone);
    const { status, body } = await result(
      await signup({
        verification_token: token,
        phone_number: uniquePhone(),
        email: uniqueEmail(),
        verification_code: "000000",
        client_id: "x",
      }),
    );
    expect(status).toBe(200);
    expect(await userOf(String(body.sub))).toMatchObject({ phone_number: phone, email: null });
  });

  it("uses the token up: the second signup is invalid_grant", async () => {
    const token = await verifiedToken(uniquePhone());
    expect((await signup({ verification_token: token })).status).toBe(200);
    expect(await result(await signup({ verification_token: token }))).toMatchObject(invalidGrant);
    expect(await result(await signin({ verification_token: token }))).toMatchObject(invalidGrant);
  });

  it("a taken username is 409 already_exists and leaves the token usable", async () => {
    const username = uniqueName("taken");
    await createUser({ username });
    const token = await verifiedToken(uniqueEmail());
    expect(await result(await signup({ verification_token: token, username }))).toMatchObject({
      status: 409,
      body: { error: "already_exists" },
    });
    expect((await signup({ verification_token: token, username: uniqueName("other") })).status).toBe(200);
  });

  it("a contact that already has a user is 409 already_exists, and the token still signs that user in", async () => {
    const phone = uniquePhone();
    const existing = await createUser({ phone_number: phone });
    const token = await verifiedToken(phone);
    expect(await result(await signup({ verification_token: token }))).toMatchObject({
      status: 409,
      body: { error: "already_exists" },
    });
    expect(await result(await signin({ verification_token: token }))).toMatchObject({
      status: 200,
      body: { sub: existing.sub },
    });
  });

  it("20 concurrent signups with one token create exactly one user", async () => {
    const email = uniqueEmail();
    const token = await verifiedToken(email);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signup({ verification_token: token, username: uniqueName(`race${i}`) }).then(result)),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    for (const response of responses.filter((item) => item.status !== 200)) {
      expect(["invalid_grant", "already_exists"]).toContain(response.body.error);
    }
  });

  it.each([
    [{}, "no token"],
    [{ username: "someone", password: "pw-long-enough" }, "username and password without a token"],
    [{ verification_token: "" }, "an empty token"],
    [{ verification_token: 42 }, "a numeric token"],
  ])("refuses %j (%s) with invalid_argument", async (body: object, _case: string) => {
    expect(await result(await signup(body))).toMatchObject({ status: 400, body: { error: "invalid_argument" } });
  });

  it.each([
    ["a one-character username", { username: "a" }],
    ["a Chinese username", { username: "张三" }],
    ["a username with a space", { username: "has space" }],
    ["a 257-character password", { password: "x".repeat(257) }],
    ["a password under PASSWORD_MIN_LENGTH (8, counted after NFKC)", { password: "ｐａｓｓ１２３" }],
    ["a password with a lone surrogate", { password: "\ud800" }],
  ])("refuses %s with invalid_argument, before the token is used", async (_case: string, fields: object) => {
    const token = await verifiedToken(uniquePhone());
    expect(await result(await signup({ verification_token: token, ...fields }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument" },
    });
    expect((await signup({ verification_token: token })).status).toBe(200);
  });

  it("refuses a forged, a PASSWORD_RESET or an expired token with invalid_grant", async () => {
    expect(await result(await signup({ verification_token: "Z".repeat(43) }))).toMatchObject(invalidGrant);
    const reset = await verifiedToken(uniqueEmail(), "PASSWORD_RESET");
    expect(await result(await signup({ verification_token: reset }))).toMatchObject(invalidGrant);

    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const token = await verifiedToken(uniquePhone());
    vi.setSystemTime(start + 600_001);
    expect(await result(await signup({ verification_token: token }))).toMatchObject(invalidGrant);
  });

  it("501 unimplemented when signup is off, saying how to enable it", async () => {
    const token = await verifiedToken(uniquePhone());
    const off = await result(await callWith({ SIGNUP: "false" }, "POST", "/auth/v1/signup", { body: { verification_token: token } }));
    expect(off).toMatchObject({ status: 501, body: { error: "unimplemented" } });
    expect(String(off.body.error_description)).toContain("signup");
    expect((await signup({ verification_token: token })).status).toBe(200);
  });
});
