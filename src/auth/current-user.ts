// The user behind an access token (`/user/me` and every `/user/*` call): a genuine token and a live
// session. The session is checked in the account object while the user row is read from a replica,
// in parallel; the row is trusted only if it has caught up with the account's credential stamp.
import type { Services } from "../services";
import type { User } from "../storage/users";
import { verifyAccessToken } from "../tokens/verify-access-token";
import { currentRow } from "./fresh-user";

export interface SignedIn {
  user: User;
  /** The session the access token belongs to (`sid`). */
  sessionId: string;
}

/** The signed-in user and session, or undefined for any bad, expired or revoked token. */
export async function currentSession(services: Services, accessToken: string): Promise<SignedIn | undefined> {
  const { config } = services;
  const identity = await verifyAccessToken(await services.keyRing(), accessToken, {
    issuer: config.issuer,
    audience: config.audience,
  });
  if (!identity) return undefined;
  // The signature cannot tell whether the session was ended since it was signed.
  const [check, row] = await Promise.all([
    services.accounts.checkSession(identity.sub, identity.sid),
    services.users.findById(identity.sub),
  ]);
  if (!check.live) return undefined;
  // A live session of a user the replica does not know yet (just signed up): ask the primary.
  const user = await currentRow(services, row ?? (await services.users.findByIdFresh(identity.sub)), check.stamp);
  return user?.status === "ACTIVE" ? { user, sessionId: identity.sid } : undefined;
}

