// Signing out (docs/sessions.md). Token revocation (RFC 7009): the session behind a genuine access
// or refresh token is ended in its account object; anything else is silently accepted, so the
// answer reveals nothing. A signed-in client may also end this, every, or every other session.
import type { Services } from "../services";
import { verifyAccessToken } from "../tokens/verify-access-token";
import { hashRefreshToken, refreshTokenAccount } from "./session-issuer";

const JWT_FORMAT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export async function revokeToken(services: Services, token: string): Promise<void> {
  // Any refresh token of the session, rotated out or expired, proves it was issued to the caller.
  const userId = refreshTokenAccount(token);
  if (userId !== undefined) {
    await services.accounts.endSessionOfRefresh(userId, await hashRefreshToken(token));
    return;
  }
  if (JWT_FORMAT.test(token)) {
    const { config } = services;
    const identity = await verifyAccessToken(await services.keyRing(), token, {
      issuer: config.issuer,
      audience: config.audience,
      allowExpired: true,
    });
    if (identity) await services.accounts.endSession(identity.sub, identity.sid);
  }
}

/** What `POST /auth/v1/user/signout` ends: this session, every session, or every one but this. */
export type SignOutScope = "local" | "global" | "others";

/** Signs the bearer's user out of one, all or all other sessions, in the account object. */
export async function signOutSessions(services: Services, userId: string, sessionId: string, scope: SignOutScope): Promise<void> {
  if (scope === "local") await services.accounts.endSession(userId, sessionId);
  else await services.accounts.endSessions(userId, scope === "others" ? sessionId : undefined);
}
