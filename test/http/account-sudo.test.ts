import { afterEach, describe, expect, it, vi } from "vitest";
import { captchaToken } from "./captcha-helpers";
import { callWith, createUser, jsonOf, result, signin, uniqueName } from "./helpers";
import { asUser, bearer, expectAlive, expectDead, OLD_PASSWORD, signedInAccount, sudo, sudoToken } from "./account-helpers";
import { me, type Tokens } from "./sessions-helpers";
import { uniqueEmail, uniquePhone, verifiedToken } from "./verification-helpers";

afterEach(() => vi.useRealTimers());

const OLD = OLD_PASSWORD;
const NEW = "the new password";

const signedIn = signedInAccount;

const setPassword = (access: string, body: Record<string, unknown>, query = "") =>
  asUser(access, "PATCH", `/auth/v1/user/password${query}`, { body });

describe("POST /auth/v1/user/sudo", () => {
  it("grants a URL-safe sudo token for 900 s for the right password", async () => {
    const user = await signedIn();
    const answer = await sudo(user.tokens.access_token, { password: OLD });
    expect(answer).toEqual({ status: 200, body: { sudo_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), expires_in: 900 } });
  });

  it("answers a wrong password with invalid_username_or_password, never 401, and the session lives on", async () => {
    const user = await signedIn();
    expect(await sudo(user.tokens.access_token, { password: "wrong guess" })).toMatchObject({
      status: 400,
      body: { error: "invalid_username_or_password" },
    });
    await expectAlive(user.tokens);
  });

  it("counts wrong passwords with sign-in's: the captcha gate, then the lock", async () => {
    const user = await signedIn();
    const access = user.tokens.access_token;
    for (let i = 0; i < 2; i++) expect((await sudo(access, { password: "wrong guess" })).body.error).toBe("invalid_username_or_password");
    expect((await signin({ username: user.username, password: "wrong guess" })).status).toBe(400); // the third failure
    expect(await sudo(access, { password: OLD })).toMatchObject({ status: 400, body: { error: "captcha_required" } });
    expect(await sudo(access, { password: OLD }, "?captcha_token=bogus")).toMatchObject({ body: { error: "captcha_invalid" } });
    // With a captcha the guess is evaluated (and counted) like a sign-in's.
    expect(await sudo(access, { password: "wrong again" }, `?captcha_token=${await captchaToken()}`)).toMatchObject({
      body: { error: "invalid_username_or_password" },
    });
    expect((await signin({ username: user.username, password: OLD })).status).toBe(400); // sign-in needs a captcha too
    expect(await sudo(access, { password: OLD }, `?captcha_token=${await captchaToken()}`)).toMatchObject({ status: 200 });
    // A right password forgets the failures, as a sign-in does.
    expect((await sudo(access, { password: OLD })).status).toBe(200);
  });

  it("is refused while the account is locked, without checking the password", async () => {
    const user = await signedIn();
    const lockVars = { CAPTCHA_AFTER_FAILURES: "1", LOCK_AFTER_FAILURES: "1", LOCK_SECONDS: "600" };
    await callWith(lockVars, "POST", "/auth/v1/signin", { body: { username: user.username, password: "wrong guess" } });
    const answer = await result(
      await callWith(lockVars, "POST", "/auth/v1/user/sudo", { body: { password: OLD }, headers: bearer(user.tokens.access_token) }),
    );
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_status" } });
  });

  it("is limited per IP like sign-in", async () => {
    const user = await signedIn();
    const vars = { IP_FAILURES_PER_HOUR: "1", CAPTCHA_AFTER_FAILURES: "5", LOCK_AFTER_FAILURES: "9" };
    const attempt = async () =>
      result(
        await callWith(vars, "POST", "/auth/v1/user/sudo", {
          body: { password: "wrong guess" },
          headers: { ...bearer(user.tokens.access_token), "cf-connecting-ip": "203.0.113.99" },
        }),
      );
    expect((await attempt()).body.error).toBe("invalid_username_or_password");
    expect(await attempt()).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded" } });
  });

  it("answers password_not_set for a user without a password", async () => {
    const phone = uniquePhone();
    await createUser({ username: uniqueName("nopw"), phone_number: phone });
    const tokens = await jsonOf<Tokens>(await signin({ verification_token: await verifiedToken(phone) }));
    expect(await sudo(tokens.access_token, { password: "any password" })).toMatchObject({ body: { error: "password_not_set" } });
  });

  it("grants for a code to the user's own contact (email REAUTHENTICATION, phone SIGN_IN), not someone else's", async () => {
    const [email, phone, strangers] = [uniqueEmail(), uniquePhone(), uniqueEmail()];
    const user = await signedIn({ email, phone_number: phone });
    await signedIn({ email: strangers });
    expect((await sudo(user.tokens.access_token, { verification_token: await verifiedToken(email, "reauthentication") })).status).toBe(200);
    expect((await sudo(user.tokens.access_token, { verification_token: await verifiedToken(phone) })).status).toBe(200);
    const foreign = await verifiedToken(strangers, "reauthentication");
    expect(await sudo(user.tokens.access_token, { verification_token: foreign })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("wants exactly one of password and verification_token", async () => {
    const user = await signedIn();
    expect((await sudo(user.tokens.access_token, {})).body.error).toBe("invalid_argument");
    expect((await sudo(user.tokens.access_token, { password: OLD, verification_token: "x" })).body.error).toBe("invalid_argument");
  });

  it("needs a live session", async () => {
    expect((await sudo("not-a-token", { password: OLD })).status).toBe(401);
  });
});

describe("PATCH /auth/v1/user/password", () => {
  it("sets the password: this session stays, the others end, old refresh tokens are invalid_grant", async () => {
    const user = await signedIn();
    const other = await jsonOf<Tokens>(await signin({ username: user.username, password: OLD }));
    const token = await sudoToken(user.tokens.access_token, OLD);

    expect(await result(await setPassword(user.tokens.access_token, { sudo_token: token, new_password: NEW }))).toEqual({
      status: 200,
      body: {},
    });

    await expectAlive(user.tokens);
    await expectDead(other);
    expect((await signin({ username: user.username, password: OLD })).status).toBe(400);
    expect((await signin({ username: user.username, password: NEW })).status).toBe(200);
  });

  it("takes the sudo token from the query too", async () => {
    const user = await signedIn();
    const token = await sudoToken(user.tokens.access_token, OLD);
    const query = `?sudo_token=${encodeURIComponent(token)}`;
    expect((await setPassword(user.tokens.access_token, { new_password: NEW }, query)).status).toBe(200);
    expect((await signin({ username: user.username, password: NEW })).status).toBe(200);
  });

  it("refuses another user's sudo token, another session's, an expired one and garbage, with invalid_grant", async () => {
    const user = await signedIn();
    const stranger = await signedIn();
    const second = await jsonOf<Tokens>(await signin({ username: user.username, password: OLD }));
    const cases = [
      await sudoToken(stranger.tokens.access_token, OLD),
      await sudoToken(second.access_token, OLD),
      "garbage",
    ];
    for (const sudo_token of cases) {
      expect(await result(await setPassword(user.tokens.access_token, { sudo_token, new_password: NEW }))).toMatchObject({
        status: 400,
        body: { error: "invalid_grant" },
      });
    }
    expect(await result(await setPassword(user.tokens.access_token, { new_password: NEW }))).toMatchObject({ body: { error: "invalid_grant" } });

    const start = Date.now();
    const token = await sudoToken(user.tokens.access_token, OLD);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start + 901_000);
    expect(await result(await setPassword(user.tokens.access_token, { sudo_token: token, new_password: NEW }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    vi.useRealTimers();
    await expectAlive(user.tokens);
    expect((await signin({ username: user.username, password: OLD })).status).toBe(200);
  });

  it("refuses a password under PASSWORD_MIN_LENGTH and changes nothing", async () => {
    const user = await signedIn();
    const token = await sudoToken(user.tokens.access_token, OLD);
    expect(await result(await setPassword(user.tokens.access_token, { sudo_token: token, new_password: "short" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument", details: [{ path: "new_password" }] },
    });
    expect((await signin({ username: user.username, password: OLD })).status).toBe(200);
  });
});

describe("DELETE /auth/v1/user/me", () => {
  it("deletes the account with a sudo token in the query: 200 {}, every session dead, the user gone", async () => {
    const user = await signedIn({ email: uniqueEmail() });
    const other = await jsonOf<Tokens>(await signin({ username: user.username, password: OLD }));
    const token = await sudoToken(user.tokens.access_token, OLD);

    const response = await asUser(user.tokens.access_token, "DELETE", `/auth/v1/user/me?sudo_token=${encodeURIComponent(token)}`);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await result(response)).toEqual({ status: 200, body: {} });

    await expectDead(user.tokens);
    await expectDead(other);
    expect(await result(await signin({ username: user.username, password: OLD }))).toMatchObject({
      body: { error: "invalid_username_or_password" },
    });
    // The username is free again.
    expect((await createUser({ username: user.username, password: OLD })).username).toBe(user.username);
  });

  it("refuses without a sudo token (invalid_grant, never 401) and deletes nothing", async () => {
    const user = await signedIn();
    expect(await result(await asUser(user.tokens.access_token, "DELETE", "/auth/v1/user/me"))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect((await me(user.tokens.access_token)).status).toBe(200);
  });
});
