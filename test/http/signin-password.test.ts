import { createRemoteJWKSet, jwtVerify, createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { call, createUser, jsonOf, result, signin, uniqueName } from "./helpers";

describe("password sign-in", () => {
  it("returns the token response and a JWT that verifies against the published JWKS", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "correct horse battery staple" });
    const response = await signin({ username, password: "correct horse battery staple" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await jsonOf(response);
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "sub", "token_type"]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 7200, sub: user.sub });
    expect(body.sub).toMatch(/^[1-9][0-9]{18}$/);
    // The refresh token names its account (so a refresh goes straight to that account's object).
    expect(body.refresh_token).toMatch(new RegExp(`^${user.sub}\\.[A-Za-z0-9_-]{43}$`));

    const jwks = await jsonOf<{ keys: object[] }>(await call("GET", "/.well-known/jwks.json"));
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), createLocalJWKSet(jwks as never), {
      issuer: "https://auth.test",
      audience: "test-audience",
    });
    expect(protectedHeader).toMatchObject({ alg: "ES256", kid: "test-key-1" });
    expect(payload.sub).toBe(user.sub);
    expect(payload.exp! - payload.iat!).toBe(7200);
    expect(typeof payload.sid).toBe("string");
    expect(typeof payload.jti).toBe("string");
    void createRemoteJWKSet;
  });
});
