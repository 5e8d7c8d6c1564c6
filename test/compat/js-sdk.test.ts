// @cloudbase/js-sdk (browser build), unmodified, against the Worker; every call crosses a browser
// page's CORS.
import { afterEach, describe, expect, it, vi } from "vitest";
import { API_ORIGIN, pageLocalStorage } from "./browser";
import { openSdkApp, type JsSdkAuth } from "./clients";
import { makeUser, OTP_CODE, openWorld, PASSWORD, useBrowser } from "./world";

useBrowser();
afterEach(() => vi.useRealTimers());

const national = (phone: string) => phone.replace(/^\+86 /, "");

function stored(env: string) {
  return JSON.parse(pageLocalStorage().getItem(`credentials_${env}`) ?? "null") as { access_token: string; refresh_token: string } | null;
}

describe("@cloudbase/js-sdk: password sign-in", () => {
  it("signs in with username and password and loads the user", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { auth, env } = await openSdkApp();

    const { data, error } = await auth.signInWithPassword({ username: user.username!, password: PASSWORD });

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.sub });
    expect(data.session).toMatchObject({ token_type: "Bearer", access_token: expect.any(String) });
    const [signin] = page.calls("/auth/v1/signin");
    expect(signin!.query.get("client_id")).toBe(env);
    expect(signin!.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(signin!.headers.get("x-sdk-version")).toMatch(/^@cloudbase\/js-sdk\//);
    expect(signin!.headers.get("accept-language")).toBe("zh-CN");
    expect(page.calls("/auth/v1/user/me").map((call) => call.status)).toContain(200);
  });

  it("surfaces a wrong password as invalid_username_or_password", async () => {
    openWorld();
    const user = await makeUser();
    const { auth } = await openSdkApp();
    const { data, error } = await auth.signInWithPassword({ username: user.username!, password: "not the password" });
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ code: "invalid_username_or_password" });
  });

  it("signs in with a phone number (national or +86) or an email and the password", async () => {
    const { page, phones, emails } = openWorld();
    const user = await makeUser({ phone: phones[0], email: emails[0] });
    const { auth } = await openSdkApp();

    for (const credentials of [{ phone: national(phones[0]!) }, { phone: phones[0]!.replace(" ", "") }, { email: emails[0]! }]) {
      const { data, error } = await auth.signInWithPassword({ ...credentials, password: PASSWORD });
      expect(error).toBeNull();
      expect(data.user).toMatchObject({ id: user.sub });
    }
    const usernames = page.calls("/auth/v1/signin").map((call) => JSON.parse(call.body).username);
    expect(usernames).toEqual([phones[0], phones[0], emails[0]]);
  });
});

describe("@cloudbase/js-sdk: phone formats", () => {
  it("signs in a +852 number the sdk writes with the space in the wrong place (+85 2...)", async () => {
    const { page } = openWorld();
    const user = await makeUser({ phone: "+852 61234567" });
    const { auth } = await openSdkApp();

    const { data, error } = await auth.signInWithPassword({ phone: "+85261234567", password: PASSWORD });

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.sub });
    expect(JSON.parse(page.calls("/auth/v1/signin")[0]!.body)).toMatchObject({ username: "+85 261234567" });
  });
});

describe("@cloudbase/js-sdk: verification codes", () => {
  it("v2-style API: getVerification, then signInWithSms signs a new phone up and signInWithEmail signs in", async () => {
    const { page, phones, emails } = openWorld();
    const existing = await makeUser({ email: emails[0] });
    const { auth } = await openSdkApp();

    const smsInfo = (await auth.getVerification({ phone_number: phones[0]! })) as { verification_id: string; is_user: boolean };
    expect(smsInfo).toMatchObject({ is_user: false });
    await auth.signInWithSms({ verificationInfo: smsInfo, verificationCode: OTP_CODE, phoneNum: phones[0]! });
    expect(await auth.getUserInfo()).toMatchObject({ phone_number: phones[0], sub: expect.stringMatching(/^[0-9]{19}$/) });
    expect(JSON.parse(page.calls("/auth/v1/signup")[0]!.body)).toMatchObject({ phone_number: phones[0] });

    const emailInfo = (await auth.getVerification({ email: emails[0]! })) as { verification_id: string; is_user: boolean };
    await auth.signInWithEmail({ verificationInfo: emailInfo, verificationCode: OTP_CODE, email: emails[0]! });
    expect(await auth.getUserInfo()).toMatchObject({ sub: existing.sub });
  });

  it("signs an existing user in by phone code (signInWithOtp, then verifyOtp)", async () => {
    const { page, phones } = openWorld();
    const user = await makeUser({ phone: phones[0] });
    const { auth } = await openSdkApp();

    const otp = await auth.signInWithOtp({ phone: national(phones[0]!) });
    expect(otp.error).toBeNull();
    const { data, error } = await otp.data.verifyOtp!({ token: OTP_CODE });

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.sub });
    expect(JSON.parse(page.calls("/auth/v1/signin")[0]!.body)).toMatchObject({ username: phones[0] });
  });

  it("signs an existing user in by email code", async () => {
    const { emails } = openWorld();
    const user = await makeUser({ email: emails[0] });
    const { auth } = await openSdkApp();

    const otp = await auth.signInWithOtp({ email: emails[0]! });
    expect(otp.error).toBeNull();
    const { data, error } = await otp.data.verifyOtp!({ token: OTP_CODE });

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.sub });
  });

  it("signs in by phone code with shouldCreateUser: false (target USER)", async () => {
    const { page, phones } = openWorld();
    const user = await makeUser({ phone: phones[0] });
    const { auth } = await openSdkApp();

    const otp = await auth.signInWithOtp({ phone: phones[0]!, options: { shouldCreateUser: false } });
    expect(otp.error).toBeNull();
    const { data, error } = await otp.data.verifyOtp!({ token: OTP_CODE });

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.sub });
    expect(JSON.parse(page.calls("/auth/v1/verification")[0]!.body)).toMatchObject({ target: "USER" });
  });

  it("signs up a new phone with a password, then signs in with it", async () => {
    const { page, phones } = openWorld();
    const { auth } = await openSdkApp();

    const started = await auth.signUp({ phone: national(phones[0]!), password: PASSWORD } as Parameters<JsSdkAuth["signUp"]>[0]);
    expect(started.error).toBeNull();
    const { data, error } = await started.data.verifyOtp!({ token: OTP_CODE });

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: expect.stringMatching(/^[0-9]{19}$/), phone: phones[0] });
    expect(JSON.parse(page.calls("/auth/v1/signup")[0]!.body)).toMatchObject({ phone_number: phones[0], verification_code: OTP_CODE });
    const again = await (await openSdkApp()).auth.signInWithPassword({ phone: national(phones[0]!), password: PASSWORD });
    expect(again.data.user).toMatchObject({ id: data.user!.id });
  });

  it("signs up a new email (signInWithOtp creates the user)", async () => {
    const { emails } = openWorld();
    const { auth } = await openSdkApp();

    const otp = await auth.signInWithOtp({ email: emails[0]! });
    expect(otp.error).toBeNull();
    const { data, error } = await otp.data.verifyOtp!({ token: OTP_CODE });

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email: emails[0] });
  });
});

describe("@cloudbase/js-sdk: sessions", () => {
  it("reads the user from /auth/v1/user/me (getUserInfo)", async () => {
    const { page, emails } = openWorld();
    const user = await makeUser({ email: emails[0] });
    const { auth, env } = await openSdkApp();
    await auth.signInWithPassword({ username: user.username!, password: PASSWORD });
    const calls = page.calls("/auth/v1/user/me").length;

    const info = await auth.getUserInfo();

    expect(info).toMatchObject({ sub: user.sub, uid: user.sub, username: user.username, email: emails[0] });
    const me = page.calls("/auth/v1/user/me").slice(calls);
    expect(me.map((call) => call.status)).toEqual([200]);
    expect(me[0]!.headers.get("authorization")).toBe(`Bearer ${(await stored(env))!.access_token}`);
  });

  it("refreshes first when a reloaded page finds its stored access token expired", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const first = await openSdkApp();
    await first.auth.signInWithPassword({ username: user.username!, password: PASSWORD });
    const old = (await stored(first.env))!;

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 3 * 3600 * 1000);
    const { auth } = await openSdkApp(first.env);
    const { data, error } = await auth.getUser();

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.sub });
    const [refresh] = page.calls("/auth/v1/token");
    expect(JSON.parse(refresh!.body)).toMatchObject({ grant_type: "refresh_token", refresh_token: old.refresh_token, client_id: first.env });
    expect(refresh!.status).toBe(200);
    expect((await stored(first.env))!.refresh_token).not.toBe(old.refresh_token);
    const stale = await page.fetch(`${API_ORIGIN}/auth/v1/user/me`, { headers: { authorization: `Bearer ${old.access_token}` } });
    expect(stale.status).toBe(401);
  });

  it("forces a refresh with refreshSession", async () => {
    openWorld();
    const user = await makeUser();
    const { auth, env } = await openSdkApp();
    await auth.signInWithPassword({ username: user.username!, password: PASSWORD });
    const old = (await stored(env))!;

    const { data, error } = await auth.refreshSession();

    expect(error).toBeNull();
    expect(data.session).toMatchObject({ refresh_token: expect.any(String) });
    expect(data.session!.refresh_token).not.toBe(old.refresh_token);
    expect(data.user).toMatchObject({ id: user.sub });
  });

  it("signs out by revoking the access token; the refresh token is dead afterwards", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { auth, env } = await openSdkApp();
    await auth.signInWithPassword({ username: user.username!, password: PASSWORD });
    const { access_token, refresh_token } = (await stored(env))!;

    const signedOut = (await auth.signOut()) as { error: unknown };

    expect(signedOut.error).toBeNull();
    expect(await stored(env)).toBeNull();
    expect(JSON.parse(page.calls("/auth/v1/revoke")[0]!.body)).toEqual({ token: access_token });
    const replay = await page.fetch(`${API_ORIGIN}/auth/v1/token`, {
      method: "POST",
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token }),
    });
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
  });
});

describe("@cloudbase/js-sdk: captcha", () => {
  it("solves captcha_required through openURIWithCallback and retries, twice in a row", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { auth, captcha } = await openSdkApp();
    const attempt = (password: string) => auth.signInWithPassword({ username: user.username!, password });
    for (let i = 0; i < 3; i++) expect((await attempt("not the password")).error).toMatchObject({ code: "invalid_username_or_password" });

    expect((await attempt("still not the password")).error).toMatchObject({ code: "invalid_username_or_password" });
    const { data, error } = await attempt(PASSWORD);

    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.sub });
    expect(captcha.urls).toHaveLength(2);
    const signins = page.calls("/auth/v1/signin");
    expect(signins.map((call) => call.status)).toEqual([400, 400, 400, 400, 400, 400, 200]);
    const tokens = signins.map((call) => call.query.get("captcha_token"));
    expect(tokens[4]).toBeTruthy();
    expect(tokens[6]).toBeTruthy();
    expect(tokens[6]).not.toBe(tokens[4]);
  });
});
