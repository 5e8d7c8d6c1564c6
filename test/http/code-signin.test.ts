import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, callWith, createUser, jsonOf, result, signin, uniqueName } from "./helpers";
import { consoleLog, postWith, uniqueEmail, uniquePhone, verifiedToken, verifyCode } from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const invalidGrant = { status: 400, body: { error: "invalid_grant" } };

describe("POST /auth/v1/signin with a verification_token", () => {
  it("signs in the user who has the verified phone: the token response, no-store", async () => {
    const phone = uniquePhone();
    const user = await createUser({ phone_number: phone });
    const token = await verifiedToken(phone);
    const response = await signin({ verification_token: token });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await jsonOf(response);
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "sub", "token_type"]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 7200, sub: user.sub });
    expect(decodeJwt(String(body.access_token)).sub).toBe(user.sub);
  });

  it("signs in by email, with the contact in username beside the token (as the js-sdk sends it)", async () => {
    const email = uniqueEmail();
    const user = await createUser({ email });
    const token = await verifiedToken(email);
    const response = await result(await signin({ username: email.toUpperCase(), verification_token: token }));
    expect(response).toMatchObject({ status: 200, body: { sub: user.sub } });
  });

  it("accepts a REGISTER token", async () => {
    const phone = uniquePhone();
    const user = await createUser({ phone_number: phone });
    const token = await verifiedToken(phone, "REGISTER");
    expect(await result(await signin({ verification_token: token }))).toMatchObject({ status: 200, body: { sub: user.sub } });
  });

  it("a token is single use: the second sign-in is invalid_grant", async () => {
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const token = await verifiedToken(phone);
    expect((await signin({ verification_token: token })).status).toBe(200);
    expect(await result(await signin({ verification_token: token }))).toMatchObject(invalidGrant);
  });

  it("50 concurrent sign-ins with one token: exactly one 200, the rest invalid_grant, one session", async () => {
    const email = uniqueEmail();
    const user = await createUser({ email });
    const token = await verifiedToken(email);
    const responses = await Promise.all(Array.from({ length: 50 }, () => signin({ verification_token: token }).then(result)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    for (const response of responses.filter((item) => item.status !== 200)) expect(response).toMatchObject(invalidGrant);
    // The losers opened nothing: one session in the account's object.
    expect(await env.ACCOUNT_GUARD.get(env.ACCOUNT_GUARD.idFromName(`user:${user.sub}`)).sessionCount()).toBe(1);
  });

  it("binds the token to its contact: a username naming another user does not change who signs in", async () => {
    const [phoneA, phoneB] = [uniquePhone(), uniquePhone()];
    const userA = await createUser({ phone_number: phoneA });
    await createUser({ phone_number: phoneB });
    const token = await verifiedToken(phoneA);
    expect(await result(await signin({ username: phoneB, verification_token: token }))).toMatchObject({
      status: 200,
      body: { sub: userA.sub },
    });
  });

  it("a phone token does not sign in a user whose username merely spells that number", async () => {
    const phone = uniquePhone();
    await createUser({ username: phone.replace(/\D/g, ""), email: uniqueEmail() });
    const token = await verifiedToken(phone);
    expect(await result(await signin({ verification_token: token }))).toMatchObject({ status: 404 });
  });

  it("a valid token for a contact no user has: 404 user_not_found, and the token stays usable", async () => {
    const phone = uniquePhone();
    const token = await verifiedToken(phone);
    expect(await result(await signin({ verification_token: token }))).toMatchObject({
      status: 404,
      body: { error: "user_not_found", error_code: 4004 },
    });
    // Still unused: the client signs up with it.
    const signup = await result(await postWith("/auth/v1/signup", { verification_token: token }));
    expect(signup.status).toBe(200);
    expect(await result(await signin({ verification_token: token }))).toMatchObject(invalidGrant);
  });

  it("refuses a PASSWORD_RESET token with invalid_grant", async () => {
    const email = uniqueEmail();
    await createUser({ email });
    const token = await verifiedToken(email, "PASSWORD_RESET");
    expect(await result(await signin({ verification_token: token }))).toMatchObject(invalidGrant);
  });

  it.each([
    ["a forged token", "A".repeat(43)],
    ["a token of another shape", "garbage.token"],
  ])("refuses %s with invalid_grant", async (_name, token) => {
    expect(await result(await signin({ verification_token: token }))).toMatchObject(invalidGrant);
  });

  it("refuses a tampered token with invalid_grant", async () => {
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const token = await verifiedToken(phone);
    const tampered = (token[0] === "A" ? "B" : "A") + token.slice(1);
    expect(await result(await signin({ verification_token: tampered }))).toMatchObject(invalidGrant);
    expect((await signin({ verification_token: token })).status).toBe(200);
  });

  it("refuses a token after its 600 s", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const token = await verifiedToken(phone);
    vi.setSystemTime(start + 600_001);
    expect(await result(await signin({ verification_token: token }))).toMatchObject(invalidGrant);
  });

  it("a BLOCKED user gets invalid_status once the token checks out (a bad token stays invalid_grant)", async () => {
    const phone = uniquePhone();
    const user = await createUser({ phone_number: phone });
    expect((await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { status: "BLOCKED" })).status).toBe(200);
    const token = await verifiedToken(phone);
    expect(await result(await signin({ verification_token: token }))).toMatchObject({
      status: 400,
      body: { error: "invalid_status" },
    });
    expect(await result(await signin({ verification_token: "B".repeat(43) }))).toMatchObject(invalidGrant);
  });

  it("works while the password is locked out, and does not clear the lock", async () => {
    const vars = { CAPTCHA_AFTER_FAILURES: "2", LOCK_AFTER_FAILURES: "2" };
    const username = uniqueName("locked");
    const email = uniqueEmail();
    const user = await createUser({ username, email, password: "the right password" });
    const attempt = (password: string) =>
      callWith(vars, "POST", "/auth/v1/signin", { body: { username, password }, headers: { "cf-connecting-ip": "10.9.9.9" } });
    await attempt("wrong 1");
    await attempt("wrong 2");
    expect((await result(await attempt("the right password"))).body.error).toBe("invalid_status");

    const token = await verifiedToken(email);
    const coded = await result(await callWith(vars, "POST", "/auth/v1/signin", { body: { verification_token: token } }));
    expect(coded).toMatchObject({ status: 200, body: { sub: user.sub } });
    expect((await result(await attempt("the right password"))).body.error).toBe("invalid_status");
  });

  it("501 unimplemented when verification sign-in is off, saying how to enable it; the token is not used up", async () => {
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const token = await verifiedToken(phone);
    const off = await result(
      await callWith({ VERIFICATION_SIGNIN: "false" }, "POST", "/auth/v1/signin", { body: { verification_token: token } }),
    );
    expect(off.status).toBe(501);
    expect(off.body.error).toBe("unimplemented");
    expect(String(off.body.error_description)).toContain("verification_signin");
    expect((await signin({ verification_token: token })).status).toBe(200);
  });

  it("with TEST_OTP, a listed contact gets the fixed code and nothing is delivered", async () => {
    const log = consoleLog();
    const phone = uniquePhone();
    const user = await createUser({ phone_number: phone });
    const vars = { TEST_OTP: JSON.stringify({ [phone.replace(" ", "")]: "246810" }) };
    const sent = await result(await postWith("/auth/v1/verification", { phone_number: phone }, { vars }));
    expect(sent.status).toBe(200);
    expect(log.mock.calls.flat().join("\n")).not.toContain("246810");
    const verified = await result(
      await verifyCode({ verification_id: sent.body.verification_id, verification_code: "246810" }, { vars }),
    );
    expect(verified.status).toBe(200);
    expect(await result(await signin({ verification_token: verified.body.verification_token }))).toMatchObject({
      status: 200,
      body: { sub: user.sub },
    });
  });
});
