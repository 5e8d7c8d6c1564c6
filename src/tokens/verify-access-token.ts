// Verifies our own access tokens against the key ring: signature by the key its `kid` names,
// `alg` pinned to that key's algorithm, then `iss`, `aud`, `exp` and the claims we rely on.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { KeyRing } from "./keys";

export interface AccessTokenIdentity {
  /** The user id. */
  sub: string;
  /** The session id. */
  sid: string;
}

export interface AccessTokenExpectations {
  issuer: string;
  audience: string;
  /** Accept a genuine token past its `exp` (sign-out: clients revoke with whatever they hold). */
  allowExpired?: boolean;
}

const ALGORITHMS = ["ES256", "EdDSA"];
const MAX_TOKEN_LENGTH = 4096;

function keyResolver(ring: KeyRing): JWTVerifyGetKey {
  return (header) => {
    const key = header.kid === undefined ? undefined : ring.byKid.get(header.kid);
    // The algorithm comes from our key, never from the token: no `none`, no HS256 keyed with
    // public key bytes, no ES256/EdDSA confusion.
    if (!key || header.alg !== key.alg) throw new errors.JWKSNoMatchingKey();
    return key.publicKey;
  };
}

function identityOf(payload: JWTPayload, expected: AccessTokenExpectations): AccessTokenIdentity | undefined {
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (payload.iss !== expected.issuer || !audiences.includes(expected.audience)) return undefined;
  const { sub, sid } = payload;
  if (typeof sub !== "string" || typeof sid !== "string" || sub === "" || sid === "") return undefined;
  return { sub, sid };
}

/** The identity a genuine, unexpired (unless allowed) access token carries; undefined otherwise. */
export async function verifyAccessToken(
  ring: KeyRing,
  token: string,
  expected: AccessTokenExpectations,
): Promise<AccessTokenIdentity | undefined> {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  try {
    const { payload } = await jwtVerify(token, keyResolver(ring), {
      algorithms: ALGORITHMS,
      issuer: expected.issuer,
      audience: expected.audience,
      typ: "JWT",
      requiredClaims: ["sub", "sid", "exp", "iat"],
    });
    return identityOf(payload, expected);
  } catch (err) {
    // jose checks the signature before any claim, so an expired-error payload is genuine; the
    // issuer and audience are checked again here rather than relying on jose's check order.
    if (expected.allowExpired && err instanceof errors.JWTExpired) return identityOf(err.payload, expected);
    return undefined;
  }
}
