// Access tokens: short-lived JWTs signed with the current key of the ring (docs/protocol.md §5).
import { SignJWT } from "jose";
import { randomToken } from "../crypto/random";
import type { KeyRing } from "./keys";

export interface AccessTokenClaims {
  issuer: string;
  audience: string;
  subject: string;
  sessionId: string;
  ttlSeconds: number;
  nowSeconds: number;
}

export async function signAccessToken(ring: KeyRing, claims: AccessTokenClaims): Promise<string> {
  const key = ring.current;
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(claims.nowSeconds)
    .setExpirationTime(claims.nowSeconds + claims.ttlSeconds)
    .setJti(randomToken(16))
    .sign(key.privateKey);
}
