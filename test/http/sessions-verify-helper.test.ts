import { createLocalJWKSet, decodeJwt, generateKeyPair, SignJWT, type JSONWebKeySet } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AccessTokenError, createAccessTokenVerifier } from "../../src/verify/index";
import { call, jsonOf } from "./helpers";
import { forge, signedInUser } from "./sessions-helpers";

afterEach(() => vi.useRealTimers());

const expected = { issuer: "https://auth.test", audience: "test-audience" };

/** A verifier that fetches the JWKS through the Worker, counting the fetches. */
function remoteVerifier() {
  const fetched: string[] = [];
  const verifier = createAccessTokenVerifier({
    ...expected,
    jwksUrl: "https://auth.test/.well-known/jwks.json",
    fetch: async (url) => {
      fetched.push(new URL(url).pathname);
      return call("GET", new URL(url).pathname);
    },
  });
  return { verifier, fetched };
}

describe("the ./verify helper for other Workers", () => {
  it("verifies our access tokens against the remote JWKS and caches the keys", async () => {
    const { sub, tokens } = await signedInUser();
    const { verifier, fetched } = remoteVerifier();
    const claims = await verifier.verify(tokens.access_token);
    expect(claims).toMatchObject({ sub, sid: decodeJwt(tokens.access_token).sid, iss: expected.issuer, aud: expected.audience });
    await verifier.verify(tokens.access_token);
    const request = new Request("https://api.test/", { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await verifier.authenticate(request))?.sub).toBe(sub);
    expect(fetched).toEqual(["/.well-known/jwks.json"]);
  });

  it("works with local keys (createLocalJWKSet)", async () => {
    const { tokens } = await signedInUser();
    const jwks = await jsonOf<JSONWebKeySet>(await call("GET", "/auth/v1/jwks"));
    const verifier = createAccessTokenVerifier({ ...expected, keys: createLocalJWKSet(jwks) });
    expect((await verifier.verify(tokens.access_token)).sub).toBe(decodeJwt(tokens.access_token).sub);
  });

  it("refuses expired, foreign, wrong-audience and malformed tokens with a reason", async () => {
    const { tokens } = await signedInUser();
    const { verifier } = remoteVerifier();
    const reason = (token: string) =>
      verifier.verify(token).then(
        () => "accepted",
        (err: unknown) => (err instanceof AccessTokenError ? err.reason : `threw ${String(err)}`),
      );
    const { privateKey } = await generateKeyPair("ES256");
    const foreign = await new SignJWT(decodeJwt(tokens.access_token))
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "test-key-1" })
      .sign(privateKey);
    expect(await reason(foreign)).toBe("invalid");
    expect(await reason(await forge({ sub: "1", sid: "s", jti: "j", aud: "another" }))).toBe("invalid");
    expect(await reason(await forge({ sub: "1", sid: "s", jti: "j", exp: Math.floor(Date.now() / 1000) - 5 }))).toBe("expired");
    expect(await reason("garbage")).toBe("invalid");
    expect(await reason("")).toBe("missing");
    expect(await verifier.authenticate(new Request("https://api.test/"))).toBeNull();
    expect(await verifier.authenticate(new Request("https://api.test/", { headers: { authorization: "Bearer x.y.z" } }))).toBeNull();
  });

  it("throws the fetch failure itself (not a token error) when the JWKS cannot be had", async () => {
    const { tokens } = await signedInUser();
    const verifier = createAccessTokenVerifier({
      ...expected,
      jwksUrl: "https://auth.test/.well-known/jwks.json",
      fetch: async () => new Response("down", { status: 503 }),
    });
    const request = new Request("https://api.test/", { headers: { authorization: `Bearer ${tokens.access_token}` } });
    await expect(verifier.authenticate(request)).rejects.toThrow("Expected 200 OK");
  });
});
