// Token revocation (contract §5, RFC 7009): the session behind a genuine access or refresh
// token is revoked; anything else is silently accepted, so the answer reveals nothing.
import type { Services } from "../services";
import { verifyAccessToken } from "../tokens/verify-access-token";
import { REFRESH_TOKEN_FORMAT } from "./refresh";
import { hashRefreshToken } from "./session-issuer";

const JWT_FORMAT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export async function revokeToken(services: Services, token: string): Promise<void> {
  const now = services.now();
  if (JWT_FORMAT.test(token)) {
    const { config } = services;
    const identity = await verifyAccessToken(await services.keyRing(), token, {
      issuer: config.issuer,
      audience: config.audience,
      allowExpired: true,
    });
    if (identity) await services.sessions.revokeSessionOfUser(identity.sid, identity.sub, now);
    return;
  }
  // Any refresh token of the session, rotated out or expired, proves it was issued to the caller.
  if (REFRESH_TOKEN_FORMAT.test(token)) {
    await services.sessions.revokeSessionByRefreshHash(await hashRefreshToken(token), now);
  }
}
