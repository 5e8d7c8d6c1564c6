// signInWithIdToken: an ID token issued to us by a configured OpenID provider (Google One Tap,
// Apple, any issuer in AUTH_PROVIDERS), recognised by its `iss` and verified with jose against
// that issuer's JWKS: signature, `iss`, `aud` (client_id or id_token_audiences), `exp`, and
// `nonce` when the request gives one. A JWKS that cannot be fetched fails closed (503).
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from "jose";
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { PresentedIdentity } from "./flows";
import { authorizationServer, identityFromClaims } from "./oidc";
import type { OidcProviderConfig } from "./provider-config";
import { ProviderCallError } from "./provider-error";

/** Looks like a JWS in compact form (three base64url parts). */
export const looksLikeJwt = (token: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetOf(jwksUri: string, entry: OidcProviderConfig) {
  let keySet = keySets.get(jwksUri);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: entry.timeout_ms, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    keySets.set(jwksUri, keySet);
  }
  return keySet;
}

const refused = (description: string) => new ApiError("invalid_grant", { description });

/** The identity an ID token vouches for; refused (invalid_grant) unless every check passes. */
export async function identityOfIdToken(services: Services, token: string, nonce: string | undefined): Promise<PresentedIdentity> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw refused("The ID token is malformed");
  }
  const entry = [...services.config.providers.values()].find(
    (candidate): candidate is OidcProviderConfig => candidate.type === "oidc" && candidate.issuer === unverified.iss,
  );
  if (!entry) throw refused("The ID token is not from a configured issuer");
  const server = await authorizationServer(entry).catch((err: unknown) => {
    throw err instanceof ProviderCallError ? new ApiError("unavailable", { cause: err }) : err;
  });
  if (!server.jwks_uri) throw new ApiError("unavailable", { cause: new ProviderCallError(entry.id, "jwks", new Error("no jwks_uri")) });
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(server.jwks_uri, entry), {
      issuer: entry.issuer,
      audience: [entry.client_id, ...(entry.id_token_audiences ?? [])],
      requiredClaims: ["sub", "exp", "iat"],
      clockTolerance: 30,
    }));
  } catch (err) {
    // The keys could not be had: fail closed, and say so apart from a bad token.
    if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError) || err instanceof errors.JWKSInvalid) {
      throw new ApiError("unavailable", { cause: new ProviderCallError(entry.id, "jwks", err) });
    }
    throw refused("The ID token's signature, issuer, audience or expiry is wrong");
  }
  if (nonce !== undefined && payload.nonce !== nonce) throw refused("The ID token's nonce is wrong");
  // An ID token stays valid until it expires, like a provider's own session: nothing to spend.
  return { identity: identityFromClaims(entry.id, payload), spend: async () => true };
}
