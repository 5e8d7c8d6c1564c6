import { describe, expect, it } from "vitest";
import { createUser, result } from "../http/helpers";
import {
  APP_PAGE,
  callback,
  callP,
  issuers,
  login,
  me,
  providerToken,
  providerUri,
  providerVars,
  signInAtProvider,
  walkFlow,
} from "./helpers";

const vars = providerVars();

const signinWith = (token: string, v: Record<string, string> = vars) =>
  callP(v, "POST", "/auth/v1/signin/with/provider", { body: { provider_token: token } });

describe("provider sign-in with a real OpenID Provider", () => {
  it("sends the user to the provider with PKCE, a nonce and the service's callback; decodeURIComponent(uri) is that URL", async () => {
    const started = await result(await providerUri(vars, { provider_id: "corp", state: "a b%2F&c", redirect_uri: APP_PAGE }));
    expect(started.status).toBe(200);
    const url = new URL(decodeURIComponent(String(started.body.uri)));
    expect(`${url.origin}${url.pathname}`).toBe(`${issuers().a}/auth`);
    expect(url.searchParams.get("redirect_uri")).toBe("https://auth.test/auth/v1/provider/callback");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The provider gets the service's own flow id, never the client's state.
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("signs a new user up, returns to the app page with the client's state unchanged, and signs them in again later", async () => {
    const who = login();
    const state = "prd-corp-x1/%+&=?";
    const back = await signInAtProvider(vars, "corp", who, state);
    expect(back.status).toBe(302);
    expect(`${back.location!.origin}${back.location!.pathname}`).toBe(APP_PAGE);
    expect(back.location!.searchParams.get("state")).toBe(state);
    expect(back.location!.searchParams.get("provider")).toBe("corp");
    const code = back.location!.searchParams.get("code")!;

    const granted = await result(
      await callP(vars, "POST", "/auth/v1/provider/token", { body: { provider_id: "corp", provider_redirect_uri: APP_PAGE, provider_code: code } }),
    );
    expect(granted).toMatchObject({ status: 200, body: { provider_token: expect.any(String), expires_in: 600 } });
    expect(granted.body).not.toHaveProperty("code");

    const signedIn = await result(await signinWith(String(granted.body.provider_token)));
    expect(signedIn).toMatchObject({ status: 200, body: { token_type: "Bearer", sub: expect.any(String) } });
    const user = await me(String(signedIn.body.access_token));
    expect(user.body).toMatchObject({ email: `${who}@idp.test`, name: `Name of ${who}`, has_password: false });

    const again = await result(await signinWith(await providerToken(vars, "corp", who)));
    expect(again.body.sub).toBe(signedIn.body.sub);
  });

  it("refuses a replayed state: the provider's return is taken once", async () => {
    const back = await signInAtProvider(vars, "corp", login());
    expect(back.status).toBe(302);
    const replay = await callback(vars, back.callbackUrl);
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant", error_code: 4008 } });
  });

  it("refuses a foreign or malformed state", async () => {
    const foreign = await result(await callP(vars, "GET", `/auth/v1/provider/callback?code=abc&state=${"A".repeat(22)}`));
    expect(foreign).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const malformed = await result(await callP(vars, "GET", "/auth/v1/provider/callback?code=abc&state=client-state"));
    expect(malformed).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses a code redeemed twice, and a code redeemed for another page or provider", async () => {
    const redeem = (code: string, page = APP_PAGE, provider = "corp") =>
      callP(vars, "POST", "/auth/v1/provider/token", { body: { provider_id: provider, provider_redirect_uri: page, provider_code: code } });

    const first = (await signInAtProvider(vars, "corp", login())).location!.searchParams.get("code")!;
    expect((await redeem(first)).status).toBe(200);
    expect(await result(await redeem(first))).toMatchObject({ status: 400, body: { error: "invalid_grant", error_code: 4008 } });

    const second = (await signInAtProvider(vars, "corp", login())).location!.searchParams.get("code")!;
    expect(await result(await redeem(second, "https://other-app.example/login"))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // Presented elsewhere, the code is burnt: not even its own page can have it now.
    expect(await result(await redeem(second))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    const third = (await signInAtProvider(vars, "corp", login())).location!.searchParams.get("code")!;
    expect(await result(await redeem(third, APP_PAGE, "partner"))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await result(await redeem("not-a-code"))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("spends a provider token once", async () => {
    const token = await providerToken(vars, "corp", login());
    expect((await signinWith(token)).status).toBe(200);
    expect(await result(await signinWith(token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses a redirect to an unlisted app page, changing nothing", async () => {
    for (const page of ["https://evil.example/login", "https://app.example/other", "https://app.example/login?next=x", "javascript:alert(1)"]) {
      const refused = await result(await providerUri(vars, { provider_id: "corp", state: "s", redirect_uri: page }));
      expect(refused).toMatchObject({ status: 400, body: { error: "invalid_argument", details: [{ path: "redirect_uri" }] } });
    }
    // A whole origin may be listed.
    expect((await providerUri(vars, { provider_id: "corp", state: "s", redirect_uri: "https://other-app.example/any" })).status).toBe(200);
  });

  it("refuses an unknown provider, a missing state, and a provider switched off", async () => {
    expect(await result(await providerUri(vars, { provider_id: "nope", state: "s", redirect_uri: APP_PAGE }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument", details: [{ path: "provider_id" }] },
    });
    expect(await result(await providerUri(vars, { provider_id: "corp", redirect_uri: APP_PAGE }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument" },
    });
    const off = providerVars({ corp: { signin: false } });
    const refused = await result(await providerUri(off, { provider_id: "corp", state: "s", redirect_uri: APP_PAGE }));
    expect(refused).toMatchObject({ status: 501, body: { error: "unimplemented" } });
    expect(String(refused.body.error_description)).toContain("provider_signin");
  });

  it("refuses to link an unverified email to an existing account (and does not create a second one)", async () => {
    const who = login("unverified");
    const existing = await createUser({ email: `${who}@idp.test`, password: "pw-123456" });
    const linking = providerVars({ corp: { link_verified_email: true } });
    const refused = await result(await signinWith(await providerToken(linking, "corp", who), linking));
    expect(refused).toMatchObject({ status: 400, body: { error: "failed_precondition", error_code: 4120 } });
    // The account is untouched: no identity linked (the same refusal again).
    const again = await result(await signinWith(await providerToken(linking, "corp", who), linking));
    expect(again.body.error).toBe("failed_precondition");
    expect(existing.email).toBe(`${who}@idp.test`);
  });

  it("refuses a verified email of an existing account unless the provider's entry allows linking by email", async () => {
    const who = login();
    const existing = await createUser({ email: `${who}@idp.test`, password: "pw-123456" });
    const refused = await result(await signinWith(await providerToken(vars, "corp", who)));
    expect(refused).toMatchObject({ status: 400, body: { error: "failed_precondition" } });

    const linking = providerVars({ corp: { link_verified_email: true } });
    const linked = await result(await signinWith(await providerToken(linking, "corp", who), linking));
    expect(linked).toMatchObject({ status: 200, body: { sub: existing.sub } });
  });

  it("answers user_not_found without spending the token when auto_signup is off, and signUp({provider_token}) continues", async () => {
    const manual = providerVars({ corp: { auto_signup: false } });
    const token = await providerToken(manual, "corp", login());
    expect(await result(await signinWith(token, manual))).toMatchObject({ status: 404, body: { error: "user_not_found" } });
    const signedUp = await result(await callP(manual, "POST", "/auth/v1/signup", { body: { provider_token: token, username: login("name") } }));
    expect(signedUp).toMatchObject({ status: 200, body: { sub: expect.any(String) } });
    const other = await result(await signinWith(await providerToken(manual, "corp", login()), manual));
    expect(other).toMatchObject({ status: 404, body: { error: "user_not_found" } });
  });

  it("returns to the app page with error and no code when the user declines at the provider", async () => {
    const started = await result(await providerUri(vars, { provider_id: "corp", state: "s1", redirect_uri: APP_PAGE }));
    const flowState = new URL(decodeURIComponent(String(started.body.uri))).searchParams.get("state")!;
    const back = await callback(vars, new URL(`https://auth.test/auth/v1/provider/callback?error=access_denied&state=${flowState}`));
    expect(back.status).toBe(302);
    expect(back.location!.searchParams.get("error")).toBe("access_denied");
    expect(back.location!.searchParams.get("state")).toBe("s1");
    expect(back.location!.searchParams.has("code")).toBe(false);
  });

  it("fails closed with 503 when the provider cannot be reached", async () => {
    const down = providerVars({ corp: { issuer: "http://127.0.0.1:9", timeout_ms: 1000 } });
    const refused = await result(await providerUri(down, { provider_id: "corp", state: "s", redirect_uri: APP_PAGE }));
    expect(refused).toMatchObject({ status: 503, body: { error: "unavailable" } });
  });

  it("limits flows per IP", async () => {
    const limited = providerVars({}, { PROVIDER_FLOWS_PER_IP_PER_HOUR: "2" });
    const headers = { "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}` };
    const start = () => providerUri(limited, { provider_id: "corp", state: "s", redirect_uri: APP_PAGE }, headers);
    expect((await start()).status).toBe(200);
    expect((await start()).status).toBe(200);
    const refused = await start();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^[0-9]+$/);
  });

  it("limits flows per IPv6 /64, not per address", async () => {
    const limited = providerVars({}, { PROVIDER_FLOWS_PER_IP_PER_HOUR: "2" });
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const start = (ip: string) =>
      providerUri(limited, { provider_id: "corp", state: "s", redirect_uri: APP_PAGE }, { "cf-connecting-ip": ip });
    expect((await start(`${prefix}::1`)).status).toBe(200);
    expect((await start(`${prefix}::2`)).status).toBe(200);
    expect((await start(`${prefix}:abcd::3`)).status).toBe(429);
  });

  it("walks a flow started for the second provider through that provider", async () => {
    const who = login();
    const started = await result(await providerUri(vars, { provider_id: "partner", state: "p", redirect_uri: APP_PAGE }));
    expect(new URL(decodeURIComponent(String(started.body.uri))).origin).toBe(issuers().b);
    const back = await walkFlow(vars, String(started.body.uri), who);
    expect(back.location!.searchParams.get("provider")).toBe("partner");
  });
});
