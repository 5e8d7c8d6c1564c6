import { describe, expect, it } from "vitest";
import { createUser, result, signin } from "../http/helpers";
import { callP, idTokenFrom, issuers, login, OTHER_CLIENT, providerToken, providerVars, SERVICE_CLIENT, signedInThrough } from "./helpers";

const vars = providerVars();
const bearer = (access: string) => ({ authorization: `Bearer ${access}` });
const list = async (access: string) => result(await callP(vars, "GET", "/auth/v1/user/provider", { headers: bearer(access) }));
const bind = (access: string, token: string) =>
  callP(vars, "POST", "/auth/v1/user/provider/bind", { headers: bearer(access), body: { provider_token: token } });
const unlink = (access: string, provider: string) => callP(vars, "DELETE", `/auth/v1/user/provider/${provider}`, { headers: bearer(access) });
const signinWith = (body: Record<string, unknown>, v = vars) => callP(v, "POST", "/auth/v1/signin/with/provider", { body });

describe("linked identities", () => {
  it("binds a second provider, lists both, signs in with either, and unlinks one (200 {})", async () => {
    const { sub, access } = await signedInThrough(vars, "corp", login());
    expect(await list(access)).toEqual({
      status: 200,
      body: {
        total: 2,
        data: [
          { id: "corp", name: "corp", provider_user_name: expect.stringMatching(/^Name of /), bind: true },
          { id: "partner", name: "Partner", provider_user_name: null, bind: false },
        ],
      },
    });
    const partnerLogin = login("p");
    expect(await result(await bind(access, await providerToken(vars, "partner", partnerLogin)))).toEqual({ status: 200, body: {} });
    expect((await list(access)).body.data).toMatchObject([{ bind: true }, { bind: true }]);

    const viaPartner = await result(await signinWith({ provider_token: await providerToken(vars, "partner", partnerLogin) }));
    expect(viaPartner.body.sub).toBe(sub);

    expect(await result(await unlink(access, "partner"))).toEqual({ status: 200, body: {} });
    expect((await list(access)).body.data).toMatchObject([{ bind: true }, { bind: false }]);
    // Unlinking what is not linked changes nothing and answers {}.
    expect(await result(await unlink(access, "partner"))).toEqual({ status: 200, body: {} });
  });

  it("refuses to unlink the last way to sign in with failed_precondition", async () => {
    // An unverified email is not kept, so the identity is the account's only way in.
    const { access } = await signedInThrough(vars, "corp", login("unverified"));
    const refused = await result(await unlink(access, "corp"));
    expect(refused).toMatchObject({ status: 400, body: { error: "failed_precondition", error_code: 4120 } });
    expect((await list(access)).body.data).toMatchObject([{ id: "corp", bind: true }, { bind: false }]);
  });

  it("lets a user with a password unlink their only identity", async () => {
    const username = login("pw");
    const user = await createUser({ username, password: "pw-123456" });
    const access = String((await result(await signin({ username, password: "pw-123456" }))).body.access_token);
    expect((await bind(access, await providerToken(vars, "corp", login()))).status).toBe(200);
    expect(await result(await unlink(access, "corp"))).toEqual({ status: 200, body: {} });
    expect(user.sub).toMatch(/^[0-9]{19}$/);
  });

  it("refuses to bind an identity linked to another account, or a second identity of one provider", async () => {
    const owner = login();
    await signedInThrough(vars, "corp", owner);
    const { access } = await signedInThrough(vars, "corp", login());
    const taken = await result(await bind(access, await providerToken(vars, "corp", owner)));
    expect(taken).toMatchObject({ status: 400, body: { error: "failed_precondition" } });
    const second = await result(await bind(access, await providerToken(vars, "corp", login())));
    expect(second).toMatchObject({ status: 400, body: { error: "failed_precondition" } });
  });

  it("needs a bearer for bind, list and unlink", async () => {
    for (const response of [
      await callP(vars, "GET", "/auth/v1/user/provider"),
      await callP(vars, "POST", "/auth/v1/user/provider/bind", { body: { provider_token: "x" } }),
      await callP(vars, "DELETE", "/auth/v1/user/provider/corp", { headers: bearer("not-a-token") }),
    ]) {
      expect(await result(response)).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
    }
  });

  it("refuses an unknown provider id on unlink and a bad provider token on bind", async () => {
    const { access } = await signedInThrough(vars, "corp", login());
    expect(await result(await unlink(access, "nope"))).toMatchObject({ status: 400, body: { error: "invalid_argument" } });
    expect(await result(await bind(access, "not-a-token"))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });
});

describe("signInWithIdToken: ID tokens of a configured issuer", () => {
  it("signs in the user linked to the token's subject, and signs up a new one", async () => {
    const who = login();
    const { sub } = await signedInThrough(vars, "corp", who);
    const token = await idTokenFrom(issuers().a, SERVICE_CLIENT, who);
    expect(await result(await signinWith({ provider_token: token }))).toMatchObject({ status: 200, body: { sub } });
    const fresh = await result(await signinWith({ provider_token: await idTokenFrom(issuers().a, SERVICE_CLIENT, login()) }));
    expect(fresh).toMatchObject({ status: 200, body: { sub: expect.not.stringMatching(sub) } });
  });

  it("checks the nonce when the request gives one", async () => {
    const token = await idTokenFrom(issuers().a, SERVICE_CLIENT, login(), "nonce-right");
    expect(await result(await signinWith({ provider_token: token, nonce: "nonce-wrong" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_code: 4008 },
    });
    expect((await signinWith({ provider_token: token, nonce: "nonce-right" })).status).toBe(200);
  });

  it("refuses a wrong audience", async () => {
    const token = await idTokenFrom(issuers().a, OTHER_CLIENT, login());
    expect(await result(await signinWith({ provider_token: token }))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // Unless the operator lists that audience for the issuer.
    const listed = providerVars({ corp: { id_token_audiences: [OTHER_CLIENT.client_id] } });
    expect((await signinWith({ provider_token: token }, listed)).status).toBe(200);
  });

  it("refuses a token from an issuer that is not configured", async () => {
    const onlyCorp = { ...vars, AUTH_PROVIDERS: JSON.stringify(JSON.parse(vars.AUTH_PROVIDERS).slice(0, 1)) };
    const token = await idTokenFrom(issuers().b, SERVICE_CLIENT, login());
    expect(await result(await signinWith({ provider_token: token }, onlyCorp))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses a wrong signature, and an issuer claim that does not match the keys", async () => {
    const token = await idTokenFrom(issuers().a, SERVICE_CLIENT, login());
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    expect(await result(await signinWith({ provider_token: `${header}.${payload}.${flipped}` }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    // B's token re-labelled as A's: A's keys do not verify it.
    const fromB = await idTokenFrom(issuers().b, SERVICE_CLIENT, login());
    const [bHeader, bPayload, bSignature] = fromB.split(".") as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(bPayload.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));
    const relabelled = btoa(JSON.stringify({ ...claims, iss: issuers().a })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect(await result(await signinWith({ provider_token: `${bHeader}.${relabelled}.${bSignature}` }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("refuses a token for another provider than the one named", async () => {
    const token = await idTokenFrom(issuers().a, SERVICE_CLIENT, login());
    expect(await result(await signinWith({ provider_token: token, provider_id: "partner" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });
});
