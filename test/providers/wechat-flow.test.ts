import { afterEach, describe, expect, it, vi } from "vitest";
import { callback, login, me, signInAtProvider, signedInThrough } from "./helpers";
import { WECHAT_APPS } from "./oauth-apps";
import { authorizationUrlOf, captureAuthEvents, expectFailedReturn, linkedSubject, oauthVars, rowCounts, standIns, wechatClient } from "./oauth-helpers";

const vars = oauthVars();

describe("website sign-in with WeChat (a stand-in)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends the user to the QR-code page with WeChat's parameters, in WeChat's order, and #wechat_redirect", async () => {
    const url = await authorizationUrlOf(vars, "wechat");
    expect(`${url.origin}${url.pathname}`).toBe(`${standIns().wechat}/connect/qrconnect`);
    expect([...url.searchParams.keys()]).toEqual(["appid", "redirect_uri", "response_type", "scope", "state"]);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appid: WECHAT_APPS.web.appid,
      redirect_uri: "https://auth.test/auth/v1/provider/callback",
      response_type: "code",
      scope: "snsapi_login",
      state: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(url.hash).toBe("#wechat_redirect");
  });

  it("signs a new user up with the nickname and avatar and no email, by unionid, and signs the same user in again", async () => {
    const who = login("wx");
    const { sub, access } = await signedInThrough(vars, "wechat", who);
    expect((await me(access)).body).toMatchObject({
      sub,
      email: null,
      name: `Nick ${who}`,
      picture: expect.stringMatching(/^https:\/\/thirdwx\.qlogo\.test\/mmopen\/[A-Za-z0-9_-]+\/132$/),
      has_password: false,
    });
    expect(await linkedSubject(sub, "wechat")).toMatch(/^u/);
    expect((await signedInThrough(vars, "wechat", who)).sub).toBe(sub);
  });

  it("keeps the user when the entry moves to another app of the same Open Platform account (same unionid, other openid)", async () => {
    const who = login("wx");
    const { sub } = await signedInThrough(vars, "wechat", who);
    const moved = oauthVars({ wechat: wechatClient("web2") });
    expect((await signedInThrough(moved, "wechat", who)).sub).toBe(sub);
  });

  it("uses the openid when the app is bound to no Open Platform account (no unionid)", async () => {
    const solo = oauthVars({ wechat: wechatClient("solo") });
    const who = login("wx");
    const { sub } = await signedInThrough(solo, "wechat", who);
    expect(await linkedSubject(sub, "wechat")).toMatch(/^o/);
    expect((await signedInThrough(solo, "wechat", who)).sub).toBe(sub);
  });

  it("fails closed on an errcode from the code exchange: back to the app page with server_error, nothing created, no secret logged", async () => {
    const wrongSecret = oauthVars({ wechat: { client_secret: "wx-not-the-secret-0123456789" } });
    const before = await rowCounts();
    const events = captureAuthEvents();
    expectFailedReturn(await signInAtProvider(wrongSecret, "wechat", login("wx")));
    expect(events.find((event) => event.event === "provider.failed")).toMatchObject({
      provider: "wechat",
      message: expect.stringContaining("token failed: Error: answered errcode 40125 (invalid appsecret"),
    });
    expect(JSON.stringify(events)).not.toContain("wx-not-the-secret");
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a replayed callback: the flow is taken once", async () => {
    const back = await signInAtProvider(vars, "wechat", login("wx"));
    expect(back.status).toBe(302);
    expect(back.location!.searchParams.has("code")).toBe(true);
    const replay = await callback(vars, back.callbackUrl);
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant", error_code: 4008 } });
  });

  it("fails closed when WeChat cannot be reached", async () => {
    const down = oauthVars({ wechat: { token_endpoint: "http://127.0.0.1:9/sns/oauth2/access_token", timeout_ms: 1000 } });
    const events = captureAuthEvents();
    expectFailedReturn(await signInAtProvider(down, "wechat", login("wx")));
    const failed = events.find((event) => event.event === "provider.failed");
    expect(failed).toMatchObject({ provider: "wechat", message: expect.stringContaining("token failed") });
    // WeChat's token URL carries the app secret: never logged.
    expect(JSON.stringify(events)).not.toContain(WECHAT_APPS.web.secret);
  });
});
