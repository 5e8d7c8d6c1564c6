import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, jsonOf, result, signin } from "./helpers";
import { forge, me, PASSWORD, refresh, revoke, signedInUser, type Tokens } from "./sessions-helpers";

afterEach(() => vi.useRealTimers());

async function expectSessionDead(tokens: { access_token: string; refresh_token: string }): Promise<void> {
  expect((await me(tokens.access_token)).status).toBe(401);
  expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
}

async function expectSessionAlive(tokens: { access_token: string; refresh_token: string }): Promise<void> {
  expect((await me(tokens.access_token)).status).toBe(200);
}

describe("POST /auth/v1/revoke", () => {
  it("revokes the session behind a refresh token and answers 200 {}", async () => {
    const { tokens } = await signedInUser();
    expect(await result(await revoke(tokens.refresh_token))).toEqual({ status: 200, body: {} });
    await expectSessionDead(tokens);
  });

  it("revokes the session behind an access token", async () => {
    const { tokens } = await signedInUser();
    expect(await result(await revoke(tokens.access_token))).toEqual({ status: 200, body: {} });
    await expectSessionDead(tokens);
  });

  it("revokes with a genuine access token past its exp", async () => {
    const start = Date.now();
    vi.setSystemTime(start);
    const { tokens } = await signedInUser();
    vi.setSystemTime(start + 3 * 3_600_000); // the access token expired an hour ago; the refresh token did not
    expect(await result(await revoke(tokens.access_token))).toEqual({ status: 200, body: {} });
    expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("revokes the session with a rotated-out refresh token, successor included", async () => {
    const { tokens } = await signedInUser();
    const next = (await (await refresh(tokens.refresh_token)).json()) as { access_token: string; refresh_token: string };
    expect((await revoke(tokens.refresh_token)).status).toBe(200);
    await expectSessionDead(next);
  });

  it("revokes only that session, not the user's others", async () => {
    const first = await signedInUser();
    const second = await jsonOf<Tokens>(await signin({ username: first.username, password: PASSWORD }));
    await revoke(first.tokens.access_token);
    await expectSessionAlive(second);
  });

  it("answers 200 {} for unknown, garbage and forged tokens, and revokes nothing", async () => {
    const { sub, tokens } = await signedInUser();
    const { sid } = decodeJwt(tokens.access_token);
    const { privateKey } = await generateKeyPair("ES256");
    const foreign = await new SignJWT({ sub, sid, iss: "https://auth.test", aud: "test-audience" })
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "test-key-1" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    const wrongAudience = await forge({ sub, sid, aud: "another-audience" });
    const otherUser = await forge({ sub: "1234567890123456789", sid });
    for (const token of ["", "x", "A".repeat(43), "a.b.c", "not a token at all", foreign, wrongAudience, otherUser]) {
      expect(await result(await revoke(token))).toEqual({ status: 200, body: {} });
    }
    await expectSessionAlive(tokens);
  });

  it("is idempotent", async () => {
    const { tokens } = await signedInUser();
    expect((await revoke(tokens.refresh_token)).status).toBe(200);
    expect(await result(await revoke(tokens.refresh_token))).toEqual({ status: 200, body: {} });
    expect(await result(await revoke(tokens.access_token))).toEqual({ status: 200, body: {} });
  });

  it("accepts text/plain with token_type_hint and client fields", async () => {
    const { tokens } = await signedInUser();
    const response = await call("POST", "/auth/v1/revoke", {
      raw: JSON.stringify({ token: tokens.refresh_token, token_type_hint: "refresh_token", client_id: "abc" }),
      contentType: "text/plain;charset=UTF-8",
    });
    expect(await result(response)).toEqual({ status: 200, body: {} });
    await expectSessionDead(tokens);
  });

  it("answers 400 invalid_argument for a malformed body and 415 for a form", async () => {
    for (const body of [{}, { token: 5 }, { token: null }, { tokens: "x" }, []]) {
      expect(await result(await call("POST", "/auth/v1/revoke", { body }))).toMatchObject({
        status: 400,
        body: { error: "invalid_argument" },
      });
    }
    expect((await call("POST", "/auth/v1/revoke", { raw: "{", contentType: "application/json" })).status).toBe(400);
    const form = await call("POST", "/auth/v1/revoke", { raw: "token=abc", contentType: "application/x-www-form-urlencoded" });
    expect(await result(form)).toMatchObject({ status: 415, body: { error: "unsupported_media_type" } });
  });
});
