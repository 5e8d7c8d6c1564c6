import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, call, createUser, jsonOf, result, signin, uniqueName } from "./helpers";
import { forge, me, PASSWORD, revoke, signedInUser, testSigningKey } from "./sessions-helpers";

afterEach(() => vi.useRealTimers());

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

async function expectUnauthenticated(response: Response): Promise<void> {
  expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  expect(await result(response)).toMatchObject({ status: 401, body: { error: "unauthenticated", error_code: 4010 } });
}

describe("GET /auth/v1/user/me", () => {
  it("returns the signed-in user in the public shape", async () => {
    const username = uniqueName("me");
    const created = await createUser({ username, password: PASSWORD, name: "Me Myself", email: "Me@Example.com" });
    const tokens = await jsonOf<{ access_token: string }>(await signin({ username, password: PASSWORD }));
    const response = await me(tokens.access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await jsonOf(response);
    expect(Object.keys(body).sort()).toEqual(
      ["created_at", "description", "email", "gender", "has_password", "name", "phone_number", "picture", "status", "sub", "updated_at", "username"].sort(),
    );
    expect(body).toMatchObject({
      sub: created.sub,
      username,
      name: "Me Myself",
      email: "me@example.com",
      phone_number: null,
      status: "ACTIVE",
      has_password: true,
    });
    expect(String(body.created_at)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("checks the session named by sid: a genuine token of an unknown session is refused", async () => {
    const { sub, tokens } = await signedInUser();
    const { sid } = decodeJwt(tokens.access_token);
    expect((await me(await forge({ sub, sid }))).status).toBe(200);
    // The same genuine signature machinery, but a session id that does not exist.
    await expectUnauthenticated(await me(await forge({ sub, sid: "no-such-session" })));
  });

  it("refuses a missing or non-Bearer Authorization header", async () => {
    await expectUnauthenticated(await call("GET", "/auth/v1/user/me"));
    const { tokens } = await signedInUser();
    await expectUnauthenticated(await call("GET", "/auth/v1/user/me", { headers: { authorization: `Basic ${tokens.access_token}` } }));
    await expectUnauthenticated(await call("GET", "/auth/v1/user/me", { headers: { authorization: "Bearer" } }));
    await expectUnauthenticated(await me("not.a.jwt"));
  });

  it("refuses a token whose payload was tampered with", async () => {
    const victim = await signedInUser();
    const attacker = await signedInUser();
    const [header, , signature] = attacker.tokens.access_token.split(".");
    const payload = { ...decodeJwt(attacker.tokens.access_token), sub: victim.sub, sid: decodeJwt(victim.tokens.access_token).sid };
    await expectUnauthenticated(await me(`${header}.${b64url(payload)}.${signature}`));
  });

  it("refuses alg none", async () => {
    const { tokens } = await signedInUser();
    const payload = decodeJwt(tokens.access_token);
    await expectUnauthenticated(await me(`${b64url({ alg: "none", typ: "JWT", kid: "test-key-1" })}.${b64url(payload)}.`));
    await expectUnauthenticated(await me(`${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.`));
  });

  it("refuses HS256 signed with the public key's bytes", async () => {
    const { tokens } = await signedInUser();
    const payload = decodeJwt(tokens.access_token);
    const jwks = await jsonOf<{ keys: Record<string, string>[] }>(await call("GET", "/.well-known/jwks.json"));
    const publicJwk = jwks.keys[0]!;
    for (const secret of [JSON.stringify(publicJwk), publicJwk.x!, `${publicJwk.x}${publicJwk.y}`]) {
      const forged = await new SignJWT(payload)
        .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: publicJwk.kid })
        .sign(new TextEncoder().encode(secret));
      await expectUnauthenticated(await me(forged));
    }
  });

  it("refuses a token signed by a key we do not hold, under an unknown or a known kid", async () => {
    const { tokens } = await signedInUser();
    const payload = decodeJwt(tokens.access_token);
    const { privateKey } = await generateKeyPair("ES256");
    for (const kid of ["some-other-key", "test-key-1", undefined]) {
      const forged = await new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "JWT", ...(kid ? { kid } : {}) }).sign(privateKey);
      await expectUnauthenticated(await me(forged));
    }
  });

  it("refuses an EdDSA header on our ES256 key", async () => {
    const { tokens } = await signedInUser();
    const { jwk } = await testSigningKey();
    const { privateKey } = await generateKeyPair("EdDSA");
    const forged = await new SignJWT(decodeJwt(tokens.access_token))
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid: jwk.kid })
      .sign(privateKey);
    await expectUnauthenticated(await me(forged));
  });

  it("refuses a wrong audience or issuer, and missing session or subject claims, even with our signature", async () => {
    const { sub, tokens } = await signedInUser();
    const { sid } = decodeJwt(tokens.access_token);
    await expectUnauthenticated(await me(await forge({ sub, sid, aud: "another-audience" })));
    await expectUnauthenticated(await me(await forge({ sub, sid, iss: "https://evil.test" })));
    await expectUnauthenticated(await me(await forge({ sub })));
    await expectUnauthenticated(await me(await forge({ sid })));
    await expectUnauthenticated(await me(await forge({ sub, sid }, { typ: "at+jwt" })));
  });

  it("refuses an expired access token", async () => {
    const start = Date.now();
    vi.setSystemTime(start);
    const { tokens } = await signedInUser();
    vi.setSystemTime(start + 7_199_000);
    expect((await me(tokens.access_token)).status).toBe(200);
    vi.setSystemTime(start + 7_200_000); // ACCESS_TOKEN_TTL_SECONDS=7200
    await expectUnauthenticated(await me(tokens.access_token));
  });

  it("refuses the access token of a revoked session", async () => {
    const { tokens } = await signedInUser();
    expect((await revoke(tokens.refresh_token)).status).toBe(200);
    await expectUnauthenticated(await me(tokens.access_token));
  });

  it("refuses a token whose sid belongs to another user", async () => {
    const victim = await signedInUser();
    const other = await signedInUser();
    await expectUnauthenticated(await me(await forge({ sub: other.sub, sid: decodeJwt(victim.tokens.access_token).sid })));
  });

  it("refuses once the user is blocked, and again after unblocking (the session stays revoked)", async () => {
    const { sub, tokens } = await signedInUser();
    await admin("PATCH", `/auth/v1/admin/users/${sub}`, { status: "BLOCKED" });
    await expectUnauthenticated(await me(tokens.access_token));
    await admin("PATCH", `/auth/v1/admin/users/${sub}`, { status: "ACTIVE" });
    await expectUnauthenticated(await me(tokens.access_token));
  });
});
