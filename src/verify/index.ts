// For other Workers and services: verify this sign-in service's access tokens offline against its
// published JWKS (fetched and cached by jose's createRemoteJWKSet). Depends on jose only.
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTVerifyGetKey } from "jose";

export interface AccessTokenVerifierOptions {
  /** The service's JWKS, e.g. `https://auth.example.com/.well-known/jwks.json`. */
  jwksUrl?: string | URL;
  /** Keys to use instead of `jwksUrl` (e.g. jose's `createLocalJWKSet(jwks)`, for tests or pinned keys). */
  keys?: JWTVerifyGetKey;
  /** The service's `ISSUER`. */
  issuer: string;
  /** The service's `AUDIENCE`. */
  audience: string;
  /** Seconds of clock skew tolerated on `exp`/`iat` (default 0). */
  clockToleranceSeconds?: number;
  /** How long fetched keys are trusted before a refetch, in ms (default 10 minutes). */
  cacheMaxAgeMs?: number;
  /** Minimum ms between refetches triggered by an unknown `kid` (default 30 s). */
  cooldownMs?: number;
  /** A fetch to use for the JWKS, e.g. a service binding's `(url, init) => env.AUTH.fetch(url, init)`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** The claims of a verified access token. `sid` is the session id (constant across refreshes). */
export interface AccessTokenClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
}

/** Why a token was refused: for logs and metrics, not for the client (answer it with a plain 401). */
export class AccessTokenError extends Error {
  override readonly name = "AccessTokenError";
  constructor(
    readonly reason: "missing" | "expired" | "invalid",
    options?: { cause?: unknown },
  ) {
    super(`access token ${reason}`, options);
  }
}

export interface AccessTokenVerifier {
  /**
   * The claims of a genuine, unexpired token; throws AccessTokenError for a bad token, and jose's
   * or fetch's own error when the JWKS cannot be fetched.
   */
  verify(token: string): Promise<AccessTokenClaims>;
  /** Reads `Authorization: Bearer <token>` and verifies it; null when missing or not valid (JWKS failures throw). */
  authenticate(request: Request): Promise<AccessTokenClaims | null>;
}

// The service signs with ES256 or EdDSA only; `none` and HMAC algorithms are never accepted, and
// jose matches each key's own `alg` from the JWKS against the token header.
const ALGORITHMS = ["ES256", "EdDSA"];
const KEY_SOURCE_FAILURES = new Set(["ERR_JOSE_GENERIC", "ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID"]);
const BEARER = /^Bearer +([^\s]+)$/i;

function keySource(options: AccessTokenVerifierOptions): JWTVerifyGetKey {
  if (options.keys) return options.keys;
  if (options.jwksUrl === undefined) throw new TypeError("createAccessTokenVerifier needs jwksUrl or keys");
  return createRemoteJWKSet(new URL(options.jwksUrl), {
    cacheMaxAge: options.cacheMaxAgeMs,
    cooldownDuration: options.cooldownMs,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });
}

/**
 * Creates a verifier. Create it once per isolate (module scope), not per request: the JWKS cache
 * lives inside it. Offline verification cannot see a revoked session; a token stays valid until
 * its `exp` (ACCESS_TOKEN_TTL_SECONDS). Call the service's `/auth/v1/user/me` where that matters.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const keys = keySource(options);

  async function verify(token: string): Promise<AccessTokenClaims> {
    if (!token) throw new AccessTokenError("missing");
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ALGORITHMS,
        issuer: options.issuer,
        audience: options.audience,
        typ: "JWT",
        clockTolerance: options.clockToleranceSeconds ?? 0,
        requiredClaims: ["sub", "sid", "jti", "iat", "exp"],
      });
      if (typeof payload.sid !== "string") throw new AccessTokenError("invalid");
      return payload as unknown as AccessTokenClaims;
    } catch (err) {
      if (err instanceof AccessTokenError) throw err;
      // The keys could not be had (network, non-200, bad JSON): not the token's fault, so this is
      // rethrown as is for the caller to answer 503 rather than a 401 that signs the user out.
      if (!(err instanceof errors.JOSEError) || KEY_SOURCE_FAILURES.has(err.code)) throw err;
      throw new AccessTokenError(err instanceof errors.JWTExpired ? "expired" : "invalid", { cause: err });
    }
  }

  return {
    verify,
    async authenticate(request) {
      const token = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
      if (token === undefined) return null;
      try {
        return await verify(token);
      } catch (err) {
        if (err instanceof AccessTokenError) return null;
        throw err;
      }
    },
  };
}
