// Checking a password (docs/protocol.md, sign-in): at the same cost whether or not the user exists.
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { User } from "../storage/users";

export type PasswordCheck =
  | { kind: "correct"; user: User; rehash?: string }
  | { kind: "wrong_credentials" }
  | { kind: "password_not_set" };

/** Checks the password. Unknown users cost one PBKDF2 like everyone else. */
export async function checkPassword(services: Services, user: User | undefined, password: string): Promise<PasswordCheck> {
  if (user && user.passwordHash === null) return { kind: "password_not_set" };
  // For an unknown user this runs the decoy derivation: same cost, same answer as a wrong password.
  const check = await services.hasher.verify(password, user?.passwordHash);
  if (!user || !check.ok) return { kind: "wrong_credentials" };
  return { kind: "correct", user, ...(check.needsRehash ? { rehash: password } : {}) };
}

export const wrongCredentials = () => new ApiError("invalid_username_or_password");
