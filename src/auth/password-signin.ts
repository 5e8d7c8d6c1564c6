// Username/password sign-in (contract §2, steps 5-9): find the user, check the password at the
// same cost whether or not the user exists, and open a session.
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { User } from "../storage/users";
import type { SigninIdentifier } from "./identifiers";
import { openSession, type TokenResponse } from "./session-issuer";

export type PasswordOutcome =
  | { kind: "signed_in"; tokens: TokenResponse }
  | { kind: "wrong_credentials" }
  | { kind: "password_not_set" }
  | { kind: "blocked" };

/** The user an identifier names, if any (looked up first: it picks the lockout key). */
export function findSigninUser(services: Services, identifier: SigninIdentifier): Promise<User | undefined> {
  return services.users.findByIdentifier(identifier.lookup);
}

/** Checks the password and signs in. Unknown users cost one PBKDF2 like everyone else. */
export async function checkPasswordAndSignIn(
  services: Services,
  user: User | undefined,
  password: string,
): Promise<PasswordOutcome> {
  if (user && user.passwordHash === null) return { kind: "password_not_set" };
  // For an unknown user this runs the decoy derivation: same cost, same answer as a wrong password.
  const check = await services.hasher.verify(password, user?.passwordHash);
  if (!user || !check.ok) return { kind: "wrong_credentials" };
  // Blocking is revealed only to someone who proved the password.
  if (user.status === "BLOCKED") return { kind: "blocked" };
  const rehash = check.needsRehash
    ? [services.users.rehashStatement(user.id, await services.hasher.hash(password), services.now())]
    : [];
  return { kind: "signed_in", tokens: await openSession(services, user, { alongside: rehash }) };
}

/** The client-visible error of an outcome that is not a sign-in. */
export function outcomeError(outcome: Exclude<PasswordOutcome, { kind: "signed_in" }>): ApiError {
  switch (outcome.kind) {
    case "wrong_credentials":
      return new ApiError("invalid_username_or_password");
    case "password_not_set":
      return new ApiError("password_not_set");
    case "blocked":
      return new ApiError("invalid_status", { description: "This account is blocked" });
  }
}
