import { describe, expect, it } from "vitest";
import { captchaToken } from "./captcha-helpers";
import { call, callWith, post, result, signin } from "./helpers";
import { expectDead, OLD_PASSWORD, signedInAccount } from "./account-helpers";
import { uniqueEmail, uniquePhone, verifiedToken } from "./verification-helpers";

const OLD = OLD_PASSWORD;
const NEW = "the new password";

const reset = (body: Record<string, unknown>) => post("/auth/v1/reset", body);

const userWith = signedInAccount;

describe("POST /auth/v1/reset", () => {
  it("sets the password from an email PASSWORD_RESET token and ends every session", async () => {
    const email = uniqueEmail();
    const user = await userWith({ email });
    const token = await verifiedToken(email, "recovery");

    expect(await result(await reset({ email, new_password: NEW, verification_token: token }))).toEqual({ status: 200, body: {} });

    await expectDead(user.tokens);
    expect((await signin({ username: email, password: OLD })).status).toBe(400);
    expect((await signin({ username: email, password: NEW })).status).toBe(200);
  });

  it("accepts a phone SIGN_IN token (the js-sdk asks a phone code with no usage), the body's raw phone ignored", async () => {
    const phone = uniquePhone();
    await userWith({ phone_number: phone });
    const token = await verifiedToken(phone);
    const raw = phone.replace("+86 ", "");
    expect((await reset({ phone_number: raw, new_password: NEW, verification_token: token })).status).toBe(200);
    expect((await signin({ username: phone, password: NEW })).status).toBe(200);
  });

  it("cannot use a token twice", async () => {
    const email = uniqueEmail();
    await userWith({ email });
    const token = await verifiedToken(email, "PASSWORD_RESET");
    expect((await reset({ new_password: NEW, verification_token: token })).status).toBe(200);
    expect(await result(await reset({ new_password: "yet another one", verification_token: token }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect((await signin({ username: email, password: NEW })).status).toBe(200);
  });

  it("resets only the contact the token proves, whatever contact the body names", async () => {
    const [mine, theirs] = [uniqueEmail(), uniqueEmail()];
    await userWith({ email: mine });
    await userWith({ email: theirs });
    const token = await verifiedToken(mine, "recovery");
    expect((await reset({ email: theirs, new_password: NEW, verification_token: token })).status).toBe(200);
    expect((await signin({ username: theirs, password: OLD })).status).toBe(200);
    expect((await signin({ username: mine, password: NEW })).status).toBe(200);
  });

  it("refuses an email SIGN_IN token (it proves the mailbox for signing in, not for a reset)", async () => {
    const email = uniqueEmail();
    await userWith({ email });
    const token = await verifiedToken(email);
    expect(await result(await reset({ new_password: NEW, verification_token: token }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect((await signin({ username: email, password: OLD })).status).toBe(200);
    // Still good for what it was asked for.
    expect((await signin({ verification_token: token })).status).toBe(200);
  });

  it("refuses a password under PASSWORD_MIN_LENGTH with 400 invalid_argument; the token stays usable", async () => {
    const email = uniqueEmail();
    await userWith({ email });
    const token = await verifiedToken(email, "recovery");
    expect(await result(await reset({ new_password: "short", verification_token: token }))).toEqual({
      status: 400,
      body: expect.objectContaining({ error: "invalid_argument", details: [{ path: "new_password", message: "must be at least 8 characters" }] }),
    });
    expect((await signin({ username: email, password: OLD })).status).toBe(200);
    expect((await reset({ new_password: NEW, verification_token: token })).status).toBe(200);
  });

  it("refuses a missing token or password, and a forged token", async () => {
    expect((await reset({ new_password: NEW })).status).toBe(400);
    expect((await reset({ verification_token: "abc" })).status).toBe(400);
    expect(await result(await reset({ new_password: NEW, verification_token: "forged.token" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("answers user_not_found for a proven contact no user has", async () => {
    const email = uniqueEmail();
    const token = await verifiedToken(email, "recovery");
    expect(await result(await reset({ new_password: NEW, verification_token: token }))).toMatchObject({
      status: 404,
      body: { error: "user_not_found" },
    });
  });

  it("forgets the failures, the captcha requirement and the lock: the next sign-in needs neither", async () => {
    const email = uniqueEmail();
    const user = await userWith({ email });
    const lockVars = { CAPTCHA_AFTER_FAILURES: "2", LOCK_AFTER_FAILURES: "2", LOCK_SECONDS: "600" };
    const wrong = () => callWith(lockVars, "POST", "/auth/v1/signin", { body: { username: user.username, password: "wrong guess" } });
    await wrong();
    await callWith(lockVars, "POST", `/auth/v1/signin?captcha_token=${await captchaToken()}`, {
      body: { username: user.username, password: "wrong guess" },
    });
    expect(await result(await signin({ username: user.username, password: OLD }))).toMatchObject({ body: { error: "invalid_status" } });

    const token = await verifiedToken(email, "recovery");
    expect((await reset({ new_password: NEW, verification_token: token })).status).toBe(200);

    expect((await signin({ username: email, password: NEW })).status).toBe(200);
  });

  it("needs no bearer and is not a /user/* call (no 401)", async () => {
    expect((await call("POST", "/auth/v1/reset", { body: {} })).status).toBe(400);
  });
});
