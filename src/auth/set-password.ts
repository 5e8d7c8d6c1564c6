// Setting a password, or any change of credentials (password, status): the one way they change.
// The account object goes first (it raises the credential stamp and ends the sessions, all or all
// but the caller's), then D1 is written with the version it handed out, so no replica's copy of the
// old row is trusted meanwhile (docs/architecture.md). Reset, change and the admin API use it.
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { User, UserStatus } from "../storage/users";

/**
 * The password policy for a password being set (sign-up, reset, change, admin): the body schema
 * already holds it to 1-256 code points as submitted; here, at least `PASSWORD_MIN_LENGTH` code
 * points once NFKC-normalised (what is hashed). Passwords already set are not held to it.
 */
export function requireNewPassword(services: Services, password: string, field: string): void {
  const min = services.config.passwordMinLength;
  if ([...password.normalize("NFKC")].length < min) {
    throw new ApiError("invalid_argument", { details: [{ path: field, message: `must be at least ${min} characters` }] });
  }
}

export interface CredentialUpdate {
  /** A new password (checked against the policy under the name `passwordField`). */
  password?: string;
  passwordField?: string;
  status?: UserStatus;
  /** Written in the same D1 update (an admin change of name beside the password). */
  name?: string | null;
  /** The session that stays (a user changing their own password); every other one ends. */
  keepSession?: string;
  /** Forget the account's failures, captcha state and lock (a reset signs in right after). */
  clearLockout?: boolean;
}

/** Applies the update; the user as written, or undefined when no such user. */
export async function updateCredentials(services: Services, userId: string, update: CredentialUpdate): Promise<User | undefined> {
  const { password, status } = update;
  if (password !== undefined) requireNewPassword(services, password, update.passwordField ?? "password");
  const passwordHash = password === undefined ? undefined : await services.hasher.hash(password);
  const version =
    password !== undefined || status !== undefined
      ? await services.accounts.beginCredentialChange(userId, {
          ...(status ? { status } : {}),
          ...(update.keepSession ? { keepSession: update.keepSession } : {}),
        })
      : undefined;
  // A guest that sets a password becomes a regular user.
  const changes = { name: update.name, status, passwordHash, ...(password !== undefined ? { anonymous: false } : {}) };
  const user = await services.users.update(userId, changes, services.now(), version);
  if (user && update.clearLockout) await services.accounts.clearLockout(userId);
  return user;
}

/** Sets a new password: every session ends but `keepSession`; undefined when no such user. */
export function setPassword(
  services: Services,
  userId: string,
  password: string,
  options: Pick<CredentialUpdate, "keepSession" | "clearLockout" | "passwordField"> = {},
): Promise<User | undefined> {
  return updateCredentials(services, userId, { ...options, password });
}
