import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, call, callWith, jsonOf, result } from "./helpers";
import { me, refresh, signedInUser, type Tokens } from "./sessions-helpers";

const DAY = 86_400_000;

// The Worker runs in this isolate, so a mocked Date moves its clock too (D1 times are bound from it).
afterEach(() => vi.useRealTimers());

function at(ms: number): void {
  vi.setSystemTime(ms);
}

describe("refresh-token rotation", () => {
  it("rotates: a new refresh token, a fresh access token for the same session, no-store", async () => {
    const { sub, tokens } = await signedInUser();
    const response = await refresh(tokens.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const next = await jsonOf<Tokens>(response);
    expect(Object.keys(next).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "sub", "token_type"]);
    expect(next).toMatchObject({ token_type: "Bearer", expires_in: 7200, sub, scope: "user" });
    expect(next.refresh_token).toMatch(new RegExp(`^${sub}\\.[A-Za-z0-9_-]{43}$`));
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(decodeJwt(next.access_token).sid).toBe(decodeJwt(tokens.access_token).sid);
    expect((await me(next.access_token)).status).toBe(200);
    // The successor rotates in turn.
    expect((await refresh(next.refresh_token)).status).toBe(200);
  });

  it("accepts text/plain bodies with client_id, client_secret and other extra fields", async () => {
    const { tokens } = await signedInUser();
    const response = await call("POST", "/auth/v1/token?client_id=abc", {
      raw: JSON.stringify({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: "abc",
        client_secret: "shh",
        device_id: "d1",
      }),
      contentType: "text/plain;charset=UTF-8",
    });
    expect(response.status).toBe(200);
  });

  it("returns the same successor to the previous token within the grace window, with a fresh access token", async () => {
    const start = Date.now();
    at(start);
    const { tokens } = await signedInUser();
    const first = await jsonOf<Tokens>(await refresh(tokens.refresh_token));
    at(start + 10_000); // REFRESH_REUSE_GRACE_SECONDS=10, inclusive
    const again = await refresh(tokens.refresh_token);
    expect(again.status).toBe(200);
    expect(again.headers.get("cache-control")).toBe("no-store");
    const second = await jsonOf<Tokens>(again);
    expect(second.refresh_token).toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(decodeJwt(second.access_token).iat).toBe(Math.floor((start + 10_000) / 1000));
    // The session is untouched: the successor still works.
    expect((await refresh(first.refresh_token)).status).toBe(200);
  });

  it("revokes the whole session when a rotated-out token comes back after the grace window", async () => {
    const start = Date.now();
    at(start);
    const { tokens } = await signedInUser();
    const second = await jsonOf<Tokens>(await refresh(tokens.refresh_token));
    at(start + 1_000);
    const third = await jsonOf<Tokens>(await refresh(second.refresh_token));
    at(start + 11_001);
    expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // Everything of that session is dead: the newest refresh token and its access token.
    expect(await result(await refresh(third.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await me(third.access_token)).status).toBe(401);
    // A rotated-out token within its grace window no longer helps either.
    expect((await refresh(second.refresh_token)).status).toBe(400);
  });

  it("leaves other sessions of the same user alone when one is revoked for reuse", async () => {
    const start = Date.now();
    at(start);
    const { tokens, username } = await signedInUser();
    const other = await jsonOf<Tokens>(
      await call("POST", "/auth/v1/signin", { body: { username, password: "sessions test password" } }),
    );
    await refresh(tokens.refresh_token);
    at(start + 60_000);
    expect((await refresh(tokens.refresh_token)).status).toBe(400);
    expect((await refresh(other.refresh_token)).status).toBe(200);
  });

  it("gives 20 parallel refreshes of one token the same single successor and keeps the session", async () => {
    const { tokens } = await signedInUser();
    // Through app.fetch in this isolate: requests through `exports.default` are handled one at a
    // time, which would never make two of them race.
    const body = { grant_type: "refresh_token", refresh_token: tokens.refresh_token };
    const responses = await Promise.all(Array.from({ length: 20 }, () => callWith({}, "POST", "/auth/v1/token", { body })));
    const bodies = await Promise.all(responses.map((response) => result(response)));
    expect(bodies.map((body) => body.status)).toEqual(Array(20).fill(200));
    const successors = new Set(bodies.map((body) => body.body.refresh_token));
    expect(successors.size).toBe(1);
    const [successor] = [...successors] as string[];
    expect((await refresh(successor!)).status).toBe(200);
  });

  it("refuses an expired refresh token", async () => {
    const start = Date.now();
    at(start);
    const { tokens } = await signedInUser();
    at(start + 30 * DAY); // REFRESH_TOKEN_TTL_SECONDS=2592000: expired at exactly 30 days
    expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("accepts a refresh token just before its expiry", async () => {
    const start = Date.now();
    at(start);
    const { tokens } = await signedInUser();
    at(start + 30 * DAY - 1_000);
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });

  it("never lets a session outlive SESSION_MAX_AGE_SECONDS, however often it is refreshed", async () => {
    const start = Date.now();
    at(start);
    let { tokens } = await signedInUser();
    for (const day of [25, 50, 75, 89]) {
      at(start + day * DAY);
      const response = await refresh(tokens.refresh_token);
      expect(response.status).toBe(200);
      tokens = await jsonOf<Tokens>(response);
    }
    at(start + 90 * DAY);
    expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses unknown and malformed refresh tokens with invalid_grant", async () => {
    for (const token of ["A".repeat(43), "not a token", "x", "é".repeat(43)]) {
      expect(await result(await refresh(token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    }
  });

  it("answers invalid_argument without a refresh_token or with wrong types", async () => {
    const bodies: unknown[] = [
      { grant_type: "refresh_token" },
      { grant_type: "refresh_token", refresh_token: "" },
      { grant_type: "refresh_token", refresh_token: 42 },
      { refresh_token: "abc" },
      { grant_type: 1, refresh_token: "abc" },
      [],
    ];
    for (const body of bodies) {
      expect(await result(await call("POST", "/auth/v1/token", { body }))).toMatchObject({
        status: 400,
        body: { error: "invalid_argument" },
      });
    }
    expect((await call("POST", "/auth/v1/token", { raw: "{", contentType: "application/json" })).status).toBe(400);
    const form = await call("POST", "/auth/v1/token", { raw: "grant_type=refresh_token", contentType: "application/x-www-form-urlencoded" });
    expect(await result(form)).toMatchObject({ status: 415, body: { error: "unsupported_media_type" } });
  });

  it("answers unsupported_grant_type for any other grant", async () => {
    for (const grant_type of ["password", "authorization_code", "client_credentials", ""]) {
      expect(await result(await call("POST", "/auth/v1/token", { body: { grant_type, refresh_token: "abc" } }))).toMatchObject({
        status: 400,
        body: { error: "unsupported_grant_type" },
      });
    }
  });

  it("answers 405 with Allow for other methods", async () => {
    const response = await call("GET", "/auth/v1/token");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
  });
});

describe("admin changes end sessions", () => {
  for (const [what, change] of [
    ["a password change", { password: "a brand new password" }],
    ["a block", { status: "BLOCKED" }],
  ] as const) {
    it(`${what} revokes the user's sessions for refresh and /user/me`, async () => {
      const { sub, tokens } = await signedInUser();
      expect((await admin("PATCH", `/auth/v1/admin/users/${sub}`, change)).status).toBe(200);
      expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
      expect((await me(tokens.access_token)).status).toBe(401);
    });
  }

  it("a name change leaves sessions alone", async () => {
    const { sub, tokens } = await signedInUser();
    expect((await admin("PATCH", `/auth/v1/admin/users/${sub}`, { name: "New Name" })).status).toBe(200);
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });

  it("deleting the user deletes its sessions", async () => {
    const { sub, tokens } = await signedInUser();
    expect((await admin("DELETE", `/auth/v1/admin/users/${sub}`)).status).toBe(204);
    expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await me(tokens.access_token)).status).toBe(401);
    // The sessions and refresh tokens went from the account's object with the user.
    expect(await env.ACCOUNT_GUARD.get(env.ACCOUNT_GUARD.idFromName(`user:${sub}`)).sessionCount()).toBe(0);
  });
});
