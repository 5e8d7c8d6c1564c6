import { describe, expect, it } from "vitest";
import { admin, callWith, createUser, jsonOf, result, signin, uniqueName, type CallOptions } from "./helpers";
import { bearer } from "./account-helpers";
import type { Tokens } from "./sessions-helpers";
import { consoleLog, lastCodeTo, sendCode, uniquePhone, verifyCode } from "./verification-helpers";

const ON = { ANONYMOUS_SIGNIN: "true" };
const ip = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const asGuestWorker = (method: string, path: string, options: CallOptions = {}) => callWith(ON, method, path, options);
const anonymously = (vars: Record<string, string> = ON, clientIp = ip()) =>
  callWith(vars, "POST", "/auth/v1/signin/anonymously", { body: {}, headers: { "cf-connecting-ip": clientIp } });

async function guest(): Promise<Tokens> {
  const response = await anonymously();
  expect(response.status).toBe(200);
  return jsonOf<Tokens & { scope: string }>(response);
}

const meOf = async (access: string) => jsonOf(await asGuestWorker("GET", "/auth/v1/user/me", { headers: bearer(access) }));

describe("POST /auth/v1/signin/anonymously", () => {
  it("is off by default: 501 unimplemented, saying anonymous login is not enabled", async () => {
    const answer = await result(await anonymously({}));
    expect(answer).toMatchObject({ status: 501, body: { error: "unimplemented" } });
    expect(answer.body.error_description).toMatch(/^Anonymous login is not enabled/);
  });

  it("signs in a new guest per call: scope anonymous, /user/me says name anonymous", async () => {
    const first = await guest();
    const second = await guest();
    expect(first).toMatchObject({ token_type: "Bearer", scope: "anonymous", sub: expect.stringMatching(/^[1-9][0-9]{18}$/) });
    expect(second.sub).not.toBe(first.sub);
    expect(await meOf(first.access_token)).toMatchObject({ sub: first.sub, name: "anonymous", username: null, has_password: false });
  });

  it("is limited per IP (ANONYMOUS_SIGNINS_PER_IP_PER_HOUR)", async () => {
    const vars = { ...ON, ANONYMOUS_SIGNINS_PER_IP_PER_HOUR: "2" };
    const from = ip();
    expect((await anonymously(vars, from)).status).toBe(200);
    expect((await anonymously(vars, from)).status).toBe(200);
    const limited = await anonymously(vars, from);
    expect(await result(limited)).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded" } });
    expect(limited.headers.get("retry-after")).toMatch(/^[0-9]+$/);
    expect((await anonymously(vars, ip())).status).toBe(200);
  });
});

describe("a guest becomes a regular user, keeping its sub", () => {
  it("by setting a password (no sudo token: it has nothing to prove itself with)", async () => {
    const tokens = await guest();
    const answer = await asGuestWorker("PATCH", "/auth/v1/user/password", { body: { new_password: "a guest's password" }, headers: bearer(tokens.access_token) });
    expect(answer.status).toBe(200);
    expect(await meOf(tokens.access_token)).toMatchObject({ sub: tokens.sub, name: null, has_password: true });
    // Now a regular user: a further change needs a sudo token.
    const again = await asGuestWorker("PATCH", "/auth/v1/user/password", { body: { new_password: "another password" }, headers: bearer(tokens.access_token) });
    expect(await result(again)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("by binding a phone it verified while signed in", async () => {
    const tokens = await guest();
    const phone = uniquePhone();
    consoleLog();
    const sent = await jsonOf<{ verification_id: string }>(await sendCode({ phone_number: phone }, { headers: bearer(tokens.access_token) }));
    expect((await verifyCode({ verification_id: sent.verification_id, verification_code: lastCodeTo(phone) })).status).toBe(200);

    const edit = await asGuestWorker("POST", "/auth/v1/user/basic/edit", { body: { phone }, headers: bearer(tokens.access_token) });
    expect(edit.status).toBe(200);

    expect(await meOf(tokens.access_token)).toMatchObject({ sub: tokens.sub, name: null, phone_number: phone });
  });
});

const refresh = (refreshToken: string) =>
  asGuestWorker("POST", "/auth/v1/token", { body: { grant_type: "refresh_token", refresh_token: refreshToken } });

describe("scope in token responses", () => {
  it("is user for a password sign-in and its refresh", async () => {
    const username = uniqueName("scope");
    await createUser({ username, password: "scope password" });
    const tokens = await jsonOf<Tokens>(await signin({ username, password: "scope password" }));
    expect(tokens).toMatchObject({ scope: "user" });
    expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 200, body: { scope: "user" } });
  });

  it("stays anonymous on a guest's refresh, and is user once the guest has bound a phone", async () => {
    const tokens = await guest();
    const refreshed = await result(await refresh(tokens.refresh_token));
    expect(refreshed).toMatchObject({ status: 200, body: { scope: "anonymous", sub: tokens.sub } });

    consoleLog();
    const phone = uniquePhone();
    const access = String(refreshed.body.access_token);
    const sent = await jsonOf<{ verification_id: string }>(await sendCode({ phone_number: phone }, { headers: bearer(access) }));
    expect((await verifyCode({ verification_id: sent.verification_id, verification_code: lastCodeTo(phone) })).status).toBe(200);
    expect((await asGuestWorker("POST", "/auth/v1/user/basic/edit", { body: { phone }, headers: bearer(access) })).status).toBe(200);
    expect(await result(await refresh(String(refreshed.body.refresh_token)))).toMatchObject({ status: 200, body: { scope: "user" } });
  });
});

// Last in the file: a switch stored by the admin wins over ANONYMOUS_SIGNIN for every later test.
describe("the admin switch anonymous_signin", () => {
  it("turns guests on and off", async () => {
    expect(await result(await admin("PATCH", "/auth/v1/admin/settings", { anonymous_signin: true }))).toMatchObject({
      status: 200,
      body: { anonymous_signin: true },
    });
    expect((await anonymously({})).status).toBe(200);
    expect((await admin("PATCH", "/auth/v1/admin/settings", { anonymous_signin: false })).status).toBe(200);
    expect((await anonymously(ON)).status).toBe(501);
  });
});
