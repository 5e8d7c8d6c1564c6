import { afterEach, describe, expect, it, vi } from "vitest";
import { createUser, result } from "../http/helpers";
import { APP_PAGE, callback, callP, login, me, providerToken, providerUri, signInAtProvider, signedInThrough } from "./helpers";
import { GITHUB_APP } from "./oauth-apps";
import { authorizationUrlOf, captureAuthEvents, expectFailedReturn, oauthVars, rowCounts, standIns } from "./oauth-helpers";

const vars = oauthVars();

const signinWith = (token: string, v: Record<string, string> = vars) =>
  callP(v, "POST", "/auth/v1/signin/with/provider", { body: { provider_token: token } });

describe("sign-in with GitHub (a stand-in)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends the user to GitHub's authorize page with read:user user:email, PKCE and the service's callback", async () => {
    const url = await authorizationUrlOf(vars, "github");
    expect(`${url.origin}${url.pathname}`).toBe(`${standIns().github}/login/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: GITHUB_APP.client_id,
      redirect_uri: "https://auth.test/auth/v1/provider/callback",
      scope: "read:user user:email",
      state: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: "S256",
    });
  });

  it("signs a new user up with the verified primary email, name and avatar, and signs the same user in again", async () => {
    const who = login("gh");
    const events = captureAuthEvents();
    const { sub, access } = await signedInThrough(vars, "github", who);
    expect(events).toContainEqual(expect.objectContaining({ event: "signin.succeeded", method: "provider", provider: "github", sub }));
    const user = await me(access);
    expect(user.body).toMatchObject({
      sub,
      email: `${who}@users.gh.test`,
      name: `Name of ${who}`,
      picture: expect.stringMatching(/^https:\/\/avatars\.gh\.test\/u\/[0-9]+\?v=4$/),
      has_password: false,
    });
    expect((await signedInThrough(vars, "github", who)).sub).toBe(sub);
  });

  it("takes a verified email that is not the primary when the primary is unverified", async () => {
    const who = login("secondary");
    const { access } = await signedInThrough(vars, "github", who);
    expect((await me(access)).body).toMatchObject({ email: `${who}-alt@gh.test` });
  });

  it("never links by an unverified GitHub email, even with link_verified_email; a verified one links", async () => {
    const linking = oauthVars({ github: { link_verified_email: true } });
    const unverified = login("unverified");
    await createUser({ email: `${unverified}@users.gh.test` });
    const refused = await result(await signinWith(await providerToken(linking, "github", unverified), linking));
    expect(refused).toMatchObject({ status: 400, body: { error: "failed_precondition" } });

    const verified = login("gh");
    const existing = await createUser({ email: `${verified}@users.gh.test` });
    const linked = await result(await signinWith(await providerToken(linking, "github", verified), linking));
    expect(linked).toMatchObject({ status: 200, body: { sub: existing.sub } });
  });

  it("refuses a replayed callback: the flow is taken once", async () => {
    const back = await signInAtProvider(vars, "github", login("gh"));
    expect(back.status).toBe(302);
    const replay = await callback(vars, back.callbackUrl);
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant", error_code: 4008 } });
  });

  it("fails closed when GitHub answers the code exchange with HTTP 200 and an error: no code, nothing created, no secret logged", async () => {
    const wrongSecret = oauthVars({ github: { client_secret: "not-the-secret-0123456789" } });
    const before = await rowCounts();
    const events = captureAuthEvents();
    expectFailedReturn(await signInAtProvider(wrongSecret, "github", login("gh")));
    const failed = events.find((event) => event.event === "provider.failed");
    expect(failed).toMatchObject({ provider: "github", message: expect.stringContaining("incorrect_client_credentials") });
    expect(JSON.stringify(events)).not.toContain("not-the-secret");
    expect(await rowCounts()).toEqual(before);
  });

  it("fails closed when GitHub's /user answer is malformed", async () => {
    const events = captureAuthEvents();
    expectFailedReturn(await signInAtProvider(vars, "github", login("broken")));
    expect(events.find((event) => event.event === "provider.failed")).toMatchObject({
      provider: "github",
      message: expect.stringContaining("userinfo failed"),
    });
  });

  it("fails closed when GitHub's API cannot be reached", async () => {
    const down = oauthVars({ github: { api_url: "http://127.0.0.1:9/api/v3", timeout_ms: 1000 } });
    expectFailedReturn(await signInAtProvider(down, "github", login("gh")));
  });

  it("returns the user's refusal at GitHub to the app page", async () => {
    const started = await result(await providerUri(vars, { provider_id: "github", state: "client-state-1", redirect_uri: APP_PAGE }));
    const flowState = new URL(decodeURIComponent(String(started.body.uri))).searchParams.get("state")!;
    const back = await callback(vars, new URL(`https://auth.test/auth/v1/provider/callback?error=access_denied&state=${flowState}`));
    expectFailedReturn(back, "access_denied");
  });

  it("keeps GitHub behind its provider_signin switch", async () => {
    const off = oauthVars({ github: { signin: false } });
    const refused = await result(await providerUri(off, { provider_id: "github", state: "s", redirect_uri: APP_PAGE }));
    expect(refused).toMatchObject({ status: 501, body: { error: "unimplemented" } });
  });
});
