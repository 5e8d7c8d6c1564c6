// The user behind an access token (contract §4 `/user/me`): a genuine token and a live session.
import type { Services } from "../services";
import type { User } from "../storage/users";
import { verifyAccessToken } from "../tokens/verify-access-token";

/** The signed-in user, or undefined for any bad, expired or revoked token. */
export async function currentUser(services: Services, accessToken: string): Promise<User | undefined> {
  const { config } = services;
  const identity = await verifyAccessToken(await services.keyRing(), accessToken, {
    issuer: config.issuer,
    audience: config.audience,
  });
  if (!identity) return undefined;
  // One D1 read: the signature cannot tell whether the session was revoked since it was signed.
  const found = await services.sessions.findSessionUser(identity.sid, identity.sub);
  if (!found || found.sessionRevokedAt !== null || found.sessionExpiresAt <= services.now()) return undefined;
  return found.user;
}
