// Sudo (POST /auth/v1/user/sudo): a signed-in user proves it is them again, with the password or a
// fresh code to one of their own contacts, for a short-lived sudo token that a password change or
// an account deletion requires. A password here takes the same attempt as sign-in (per-IP limit,
// lockout, captcha), so a stolen access token is no password oracle the lockout does not see.
import type { SudoToken } from "../api/answers";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import { userKey } from "../storage/accounts";
import type { User } from "../storage/users";
import type { SignedIn } from "./current-user";
import { attemptPassword, type PasswordAttempt } from "./password-attempt";
import { SUDO_TOKEN_TTL_SECONDS, sealSudoToken } from "./sudo-token";
import { REAUTH_USAGES, type Contact } from "./verification-contact";
import { invalidGrant, redeem } from "./verification-token";

async function grant(services: Services, signedIn: SignedIn): Promise<SudoToken> {
  const token = await sealSudoToken(services.config.jwtSigningKeys, signedIn.user.id, signedIn.sessionId, services.now());
  return { sudo_token: token, expires_in: SUDO_TOKEN_TTL_SECONDS };
}

export function sudoWithPassword(
  services: Services,
  signedIn: SignedIn,
  attempt: Omit<PasswordAttempt, "findUser" | "unknownKey">,
  defer: Defer,
): Promise<SudoToken> {
  const key = userKey(signedIn.user.id);
  return attemptPassword(
    services,
    { ...attempt, findUser: async () => signedIn.user, unknownKey: key },
    async (_user, reservationId) => {
      // A right password forgets the account's failures, as a sign-in does.
      await services.accounts.recordPasswordOutcome(key, services.config.lockout, reservationId, "success");
      return grant(services, signedIn);
    },
    defer,
  );
}

const holds = (user: User, contact: Contact) => (contact.kind === "phone" ? user.phone : user.email) === contact.value;

export function sudoWithVerification(services: Services, signedIn: SignedIn, token: string, defer: Defer): Promise<SudoToken> {
  return redeem(
    services,
    token,
    async (contact) => {
      // A code to someone else's contact proves nothing about this user.
      if (!holds(signedIn.user, contact)) throw invalidGrant();
      return grant(services, signedIn);
    },
    defer,
    REAUTH_USAGES,
  );
}
