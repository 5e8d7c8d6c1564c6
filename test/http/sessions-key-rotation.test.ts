import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { callWith, createUser, jsonOf, result, uniqueName } from "./helpers";
import { PASSWORD, type Tokens } from "./sessions-helpers";

async function privateJwk(alg: "ES256" | "EdDSA", kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg };
}

const keySet = (...keys: JWK[]) => ({ JWT_SIGNING_KEYS: JSON.stringify({ keys }) });

describe("signing key rotation", () => {
  it("keeps tokens of a retired-but-published key valid, signs with the new first key, publishes both", async () => {
    const oldKey = await privateJwk("ES256", `old-${crypto.randomUUID()}`);
    const newKey = await privateJwk("EdDSA", `new-${crypto.randomUUID()}`);
    const before = keySet(oldKey);
    const during = keySet(newKey, oldKey);
    const after = keySet(newKey);

    const username = uniqueName("rot");
    await createUser({ username, password: PASSWORD });
    const signinBody = { body: { username, password: PASSWORD } };
    const old = await jsonOf<Tokens>(await callWith(before, "POST", "/auth/v1/signin", signinBody));
    expect(decodeProtectedHeader(old.access_token)).toMatchObject({ alg: "ES256", kid: oldKey.kid });

    // Rotated: the new key first, the old one kept.
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    expect((await callWith(during, "GET", "/auth/v1/user/me", bearer(old.access_token))).status).toBe(200);
    const jwks = await jsonOf<{ keys: JWK[] }>(await callWith(during, "GET", "/.well-known/jwks.json"));
    expect(jwks.keys.map((key) => key.kid)).toEqual([newKey.kid, oldKey.kid]);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);

    const fresh = await jsonOf<Tokens>(await callWith(during, "POST", "/auth/v1/signin", signinBody));
    expect(decodeProtectedHeader(fresh.access_token)).toMatchObject({ alg: "EdDSA", kid: newKey.kid });
    expect((await callWith(during, "GET", "/auth/v1/user/me", bearer(fresh.access_token))).status).toBe(200);
    // Refreshing a session that began under the old key yields a token under the new one.
    const refreshed = await jsonOf<Tokens>(
      await callWith(during, "POST", "/auth/v1/token", { body: { grant_type: "refresh_token", refresh_token: old.refresh_token } }),
    );
    expect(decodeProtectedHeader(refreshed.access_token).kid).toBe(newKey.kid);

    // Once the old key is dropped, its tokens are refused; the new key's still pass.
    const dropped = await callWith(after, "GET", "/auth/v1/user/me", bearer(old.access_token));
    expect(await result(dropped)).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
    expect((await callWith(after, "GET", "/auth/v1/user/me", bearer(refreshed.access_token))).status).toBe(200);
  });
});
