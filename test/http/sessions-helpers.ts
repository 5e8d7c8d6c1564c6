// Helpers shared by the sessions tests: sign a user in, refresh, read /user/me, forge tokens.
import { env } from "cloudflare:workers";
import { importJWK, SignJWT, type JWK, type JWTPayload } from "jose";
import { call, createUser, jsonOf, post, signin, uniqueName } from "./helpers";

export interface Tokens {
  token_type: string;
  access_token: string;
  refresh_token: string;
  expires_in: number;
  sub: string;
}

export const PASSWORD = "sessions test password";

/** A fresh user signed in once. */
export async function signedInUser(): Promise<{ sub: string; username: string; tokens: Tokens }> {
  const username = uniqueName("sess");
  const user = await createUser({ username, password: PASSWORD });
  const response = await signin({ username, password: PASSWORD });
  if (response.status !== 200) throw new Error(`signin failed: ${response.status} ${await response.text()}`);
  return { sub: user.sub, username, tokens: await jsonOf<Tokens>(response) };
}

export const refresh = (refreshToken: string, extra: Record<string, unknown> = {}) =>
  post("/auth/v1/token", { grant_type: "refresh_token", refresh_token: refreshToken, ...extra });

export const revoke = (token: string) => post("/auth/v1/revoke", { token });

export const me = (accessToken: string) =>
  call("GET", "/auth/v1/user/me", { headers: { authorization: `Bearer ${accessToken}` } });

/** The test Worker's own signing key (from the vitest config), to forge tokens with chosen claims. */
export async function testSigningKey(): Promise<{ jwk: JWK & { kid: string; alg: string }; key: CryptoKey }> {
  const set = JSON.parse(String(env.JWT_SIGNING_KEYS)) as { keys: (JWK & { kid: string; alg: string })[] };
  const jwk = set.keys[0]!;
  return { jwk, key: (await importJWK(jwk, jwk.alg)) as CryptoKey };
}

/** An ES256 token signed by the Worker's key, with the claims of a real one overridden. */
export async function forge(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const { jwk, key } = await testSigningKey();
  const nowSeconds = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: "https://auth.test", aud: "test-audience", iat: nowSeconds, exp: nowSeconds + 600, ...claims })
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid, typ: "JWT", ...header })
    .sign(key);
}
