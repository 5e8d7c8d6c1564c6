// Opens a session for a signed-in user and returns the token response of contract §2/§5.
// The session, its first refresh token and any extra writes of the sign-in go in one D1 batch.
import { sha256Base64Url } from "../crypto/compare";
import { randomToken } from "../crypto/random";
import type { Services } from "../services";
import type { User } from "../storage/users";
import { signAccessToken } from "../tokens/access-token";

export interface TokenResponse {
  token_type: "Bearer";
  access_token: string;
  refresh_token: string;
  expires_in: number;
  sub: string;
}

/** Refresh tokens are stored only as this hash. */
export const hashRefreshToken = sha256Base64Url;

export interface SessionWrites {
  /** A conditional write the session depends on (e.g. using up a verification token), run first. */
  onlyIf?: D1PreparedStatement;
  /** Further writes of the sign-in, in the same batch (e.g. a password rehash). */
  alongside?: D1PreparedStatement[];
}

/** Thrown when `onlyIf` changed nothing: no session was opened. */
export class PreconditionFailed extends Error {
  override readonly name = "PreconditionFailed";
}

export async function openSession(services: Services, user: User, writes: SessionWrites = {}): Promise<TokenResponse> {
  const { config } = services;
  const now = services.now();
  const sessionId = randomToken(16);
  const refreshToken = randomToken(32);
  const sessionExpiresAt = now + config.sessionMaxAgeSeconds * 1000;
  const [refreshTokenHash, ring] = await Promise.all([hashRefreshToken(refreshToken), services.keyRing()]);
  const accessToken = await signAccessToken(ring, {
    issuer: config.issuer,
    audience: config.audience,
    subject: user.id,
    sessionId,
    ttlSeconds: config.accessTokenTtlSeconds,
    nowSeconds: Math.floor(now / 1000),
  });
  const session = {
    sessionId,
    userId: user.id,
    refreshTokenHash,
    now,
    sessionExpiresAt,
    refreshExpiresAt: Math.min(now + config.refreshTokenTtlSeconds * 1000, sessionExpiresAt),
  };
  const { onlyIf, alongside = [] } = writes;
  const results = await services.env.DB.batch([
    ...(onlyIf ? [onlyIf] : []),
    ...services.sessions.createStatements(session, onlyIf !== undefined),
    ...alongside,
  ]);
  if (onlyIf && results[0]?.meta.changes !== 1) throw new PreconditionFailed("the session's precondition changed nothing");
  return {
    token_type: "Bearer",
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_in: config.accessTokenTtlSeconds,
    sub: user.id,
  };
}
