// Guests (POST /auth/v1/signin/anonymously, admin switch `anonymous_signin`, off by default): a user
// with no username, contact or password, signed in with `scope: "anonymous"`. It becomes a regular
// user, keeping its id, when it binds a contact or sets a password.
//
// Device ids: every call makes a new guest. CloudBase keeps one guest per `x-device-id`, but that
// id is made by the client, sent on every request and kept in shared storage: whoever learns it
// would take the guest over. The cost: a guest whose session is lost (its refresh token expired or
// revoked, its storage cleared) is not found again; the client's silent anonymous re-login makes a
// new guest. Apps that keep a guest's data should have it bind a contact.
import { randomUserId } from "../crypto/random";
import type { Services } from "../services";
import type { User } from "../storage/users";
import { takeHourlySlot } from "./per-ip-hourly";
import { openSession, type TokenResponse } from "./session-issuer";
import { requireEnabled } from "./switches";

export async function signInAsGuest(services: Services, clientIp: string | null): Promise<TokenResponse> {
  await requireEnabled(services, "anonymous_signin");
  // Each guest is a D1 row: a per-IP limit keeps a script from filling the directory. A missing
  // CF-Connecting-IP (only outside Cloudflare) shares one bucket.
  await takeHourlySlot(services, "ip-guests", clientIp, services.config.anonymousSigninsPerIpPerHour);
  const guest = await services.users.insert(
    { id: randomUserId(), username: null, phone: null, email: null, name: null, passwordHash: null, anonymous: true },
    services.now(),
  );
  return openSession(services, guest);
}

/** A guest proves nothing again (it has no password or contact): its session is its only credential. */
export const isGuest = (user: User) => user.anonymous && user.passwordHash === null && user.phone === null && user.email === null;
