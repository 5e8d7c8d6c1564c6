// @cloudbase/oauth, unmodified, against the Worker; every call crosses a browser page's CORS.
import { afterEach, describe, expect, it, vi } from "vitest";
import { API_ORIGIN } from "./browser";
import { openOauthApp } from "./clients";
import { makeUser, OTP_CODE, openWorld, PASSWORD, useBrowser } from "./world";

useBrowser();
afterEach(() => vi.useRealTimers());

const wrongPassword = (oauth: ReturnType<typeof openOauthApp>["oauth"], username: string) =>
  oauth.authApi.signIn({ username, password: "not the password" });

describe("@cloudbase/oauth: password sign-in", () => {
  it("signs in with username and password, sending text/plain JSON with client_id in the query", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { oauth, clientId } = openOauthApp();

    const credentials = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    expect(credentials).toMatchObject({ token_type: "Bearer", expires_in: 7200, sub: user.sub });
    expect(await oauth.authApi.hasLoginState()).toBe(true);
    const [signin] = page.calls("/auth/v1/signin");
    expect(signin!.query.get("client_id")).toBe(clientId);
    expect(signin!.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(signin!.headers.get("x-device-id")).toBeTruthy();
    // The clients' request ids (32 hex digits) are echoed, so client and server logs line up.
    expect(signin!.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(signin!.responseHeaders.get("x-request-id")).toBe(signin!.headers.get("x-request-id"));
    expect(JSON.parse(signin!.body)).toEqual({ username: user.username, password: PASSWORD });
  });

  it("surfaces a wrong password as invalid_username_or_password and keeps no session", async () => {
    openWorld();
    const user = await makeUser();
    const { oauth } = openOauthApp();
    await expect(wrongPassword(oauth, user.username!)).rejects.toMatchObject({ error: "invalid_username_or_password" });
    expect(await oauth.authApi.hasLoginState()).toBe(false);
  });

  it("signs in with the phone number (spaced or compact) or the email in username", async () => {
    const { phones } = openWorld();
    const email = `Mixed.${crypto.randomUUID().slice(0, 8)}@Compat.Test`;
    const user = await makeUser({ phone: phones[0], email: email.toLowerCase() });
    const { oauth } = openOauthApp();

    for (const username of [phones[0]!, phones[0]!.replace(" ", ""), email]) {
      expect(await oauth.authApi.signIn({ username, password: PASSWORD })).toMatchObject({ sub: user.sub });
    }
  });
});

describe("@cloudbase/oauth: verification codes", () => {
  it("signs in by phone code: send, verify, sign in with the token and the contact in username", async () => {
    const { page, phones } = openWorld();
    const user = await makeUser({ phone: phones[0] });
    const { oauth } = openOauthApp();

    const sent = await oauth.authApi.getVerification({ phone_number: phones[0], target: "USER" });
    expect(sent).toMatchObject({ is_user: true, verification_id: expect.any(String) });
    const verified = await oauth.authApi.verify({ verification_id: sent.verification_id, verification_code: OTP_CODE });
    const credentials = await oauth.authApi.signIn({ username: phones[0], verification_token: verified.verification_token });

    expect(credentials).toMatchObject({ sub: user.sub });
    expect(JSON.parse(page.calls("/auth/v1/signin")[0]!.body)).toEqual({
      username: phones[0],
      verification_token: verified.verification_token,
    });
  });

  it("signs in by email code", async () => {
    const { emails } = openWorld();
    const user = await makeUser({ email: emails[0] });
    const { oauth } = openOauthApp();

    const sent = await oauth.authApi.getVerification({ email: emails[0], target: "USER" });
    const verified = await oauth.authApi.verify({ verification_id: sent.verification_id!, verification_code: OTP_CODE });
    const credentials = await oauth.authApi.signIn({ username: emails[0], verification_token: verified.verification_token });
    expect(credentials).toMatchObject({ sub: user.sub });
  });

  it("signs up with a verification token, with every field the client sends", async () => {
    const { phones } = openWorld();
    const { oauth } = openOauthApp();
    const username = `new_${crypto.randomUUID().slice(0, 8)}`;

    const sent = await oauth.authApi.getVerification({ phone_number: phones[0], target: "ANY" });
    expect(sent.is_user).toBe(false);
    const verified = await oauth.authApi.verify({ verification_id: sent.verification_id!, verification_code: OTP_CODE });
    const credentials = await oauth.authApi.signUp({
      phone_number: phones[0],
      verification_code: OTP_CODE,
      verification_token: verified.verification_token,
      username,
      password: PASSWORD,
      name: "New User",
    } as Parameters<typeof oauth.authApi.signUp>[0]);

    expect(credentials.sub).toMatch(/^[0-9]{19}$/);
    expect(await oauth.authApi.getUserInfo()).toMatchObject({ sub: credentials.sub, username, phone_number: phones[0] });
    const again = openOauthApp();
    expect(await again.oauth.authApi.signIn({ username: phones[0]!, password: PASSWORD })).toMatchObject({ sub: credentials.sub });
  });

  it("sends a code with the stale bearer of a revoked session without being signed out", async () => {
    const { page, phones } = openWorld();
    await makeUser({ phone: phones[0] });
    const { oauth } = openOauthApp();
    const { access_token } = await oauth.authApi.signIn({ username: phones[0]!, password: PASSWORD });
    // Revoked behind the client's back: the client still holds the token and sends it along.
    await page.fetch(`${API_ORIGIN}/auth/v1/revoke`, { method: "POST", body: JSON.stringify({ token: access_token }) });

    await expect(oauth.authApi.getVerification({ phone_number: phones[0], target: "USER" })).resolves.toMatchObject({ is_user: true });
    expect(page.calls("/auth/v1/verification")[0]!.headers.get("authorization")).toBe(`Bearer ${access_token}`);
  });
});

describe("@cloudbase/oauth: sessions", () => {
  it("reads the user from /auth/v1/user/me with the bearer", async () => {
    const { page, emails } = openWorld();
    const user = await makeUser({ email: emails[0] });
    const { oauth } = openOauthApp();
    const { access_token } = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    const info = await oauth.authApi.getUserInfo();

    expect(info).toMatchObject({ sub: user.sub, uid: user.sub, username: user.username, email: emails[0], phone_number: null });
    expect(page.calls("/auth/v1/user/me")[0]!.headers.get("authorization")).toBe(`Bearer ${access_token}`);
  });

  it("drops its session when /user/me answers 401 for a session revoked elsewhere", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { oauth } = openOauthApp();
    const { refresh_token } = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });
    await page.fetch(`${API_ORIGIN}/auth/v1/revoke`, { method: "POST", body: JSON.stringify({ token: refresh_token }) });

    await expect(oauth.authApi.getUserInfo()).rejects.toMatchObject({ error: "unauthenticated" });
    expect(await oauth.authApi.hasLoginState()).toBe(false);
  });

  it("refreshes first when a reloaded page finds its stored access token expired", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const first = openOauthApp();
    const old = await first.oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    // Three hours later (past the 7200 s access token, for the client and the Worker alike).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 3 * 3600 * 1000);
    const reloaded = openOauthApp(first);
    const info = await reloaded.oauth.authApi.getUserInfo();

    expect(info).toMatchObject({ sub: user.sub });
    const [refresh] = page.calls("/auth/v1/token");
    expect(JSON.parse(refresh!.body)).toEqual({
      client_id: first.clientId,
      client_secret: "",
      grant_type: "refresh_token",
      refresh_token: old.refresh_token,
    });
    const me = page.calls("/auth/v1/user/me");
    expect(me.map((call) => call.status)).toEqual([200]);
    expect(me[0]!.headers.get("authorization")).not.toBe(`Bearer ${old.access_token}`);
    const stale = await page.fetch(`${API_ORIGIN}/auth/v1/user/me`, { headers: { authorization: `Bearer ${old.access_token}` } });
    expect(stale.status).toBe(401);
  });

  it("forces a refresh that rotates the refresh token", async () => {
    openWorld();
    const user = await makeUser();
    const { oauth } = openOauthApp();
    const old = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    const fresh = await oauth.authApi.refreshTokenForce({});

    expect(fresh.refresh_token).toBeTruthy();
    expect(fresh.refresh_token).not.toBe(old.refresh_token);
    expect(await oauth.authApi.getUserInfo()).toMatchObject({ sub: user.sub });
  });

  it("signs out by revoking the access token; the refresh token is dead afterwards", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { oauth } = openOauthApp();
    const { access_token, refresh_token } = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    await oauth.authApi.signOut();

    expect(await oauth.authApi.hasLoginState()).toBe(false);
    expect(JSON.parse(page.calls("/auth/v1/revoke")[0]!.body)).toEqual({ token: access_token });
    const replay = await page.fetch(`${API_ORIGIN}/auth/v1/token`, {
      method: "POST",
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token }),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
  });
});

describe("@cloudbase/oauth: captcha", () => {
  it("solves captcha_required through openURIWithCallback and retries, twice in a row", async () => {
    const { page } = openWorld();
    const user = await makeUser();
    const { oauth, captcha } = openOauthApp();
    for (let i = 0; i < 3; i++) {
      await expect(wrongPassword(oauth, user.username!)).rejects.toMatchObject({ error: "invalid_username_or_password" });
    }
    expect(captcha.urls).toHaveLength(0);

    // The captcha is passed, then the password is judged (and counted) as usual.
    await expect(wrongPassword(oauth, user.username!)).rejects.toMatchObject({ error: "invalid_username_or_password" });
    // Needed again: the spent token is not reused from the client's cache, a new one is solved.
    const credentials = await oauth.authApi.signIn({ username: user.username!, password: PASSWORD });

    expect(credentials).toMatchObject({ sub: user.sub });
    expect(captcha.urls).toHaveLength(2);
    expect(captcha.urls[0]).toMatch(/^data:image\/png;base64,[^?]+\?state=POST%3A%2Fv1%2Fsignin&token=/);
    const signins = page.calls("/auth/v1/signin");
    expect(signins.map((call) => call.status)).toEqual([400, 400, 400, 400, 400, 400, 200]);
    const tokens = signins.map((call) => call.query.get("captcha_token"));
    expect(tokens.slice(0, 4)).toEqual([null, null, null, null]);
    expect(tokens[4]).toBeTruthy();
    expect(tokens[5]).toBeNull();
    expect(tokens[6]).toBeTruthy();
    expect(tokens[6]).not.toBe(tokens[4]);
  });
});
