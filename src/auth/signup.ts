// Sign-up with a verified contact (docs/protocol.md §4): the user gets the phone or email the token
// proves. Conflicts answer 409 and leave the token usable; only a created user uses it up.
import { randomUserId } from "../crypto/random";
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import { requireNewPassword } from "./set-password";
import { requireEnabled } from "./switches";
import { UserConflictError, type NewUser } from "../storage/users";
import { usernameKey } from "./identifiers";
import { openSession, type TokenResponse } from "./session-issuer";
import { redeem } from "./verification-token";

export interface SignupRequest {
  verificationToken: string;
  username?: string;
  password?: string;
  name?: string;
}

const taken = () => new ApiError("already_exists");

export async function signUp(services: Services, request: SignupRequest, defer: Defer): Promise<TokenResponse> {
  await requireEnabled(services, "signup");
  if (request.password !== undefined) requireNewPassword(services, request.password, "password");
  // A conflict throws already_exists inside the redemption, which gives the token back before
  // answering: a client whose contact already has a user signs in with the same token.
  return redeem(
    services,
    request.verificationToken,
    async (contact) => {
      // The check and the hash are independent: one wait instead of two. A conflict wastes a hash,
      // but only for someone holding a valid token.
      const [existing, passwordHash] = await Promise.all([
        // Any account holding the contact or the username, in any column (a username may not
        // equal another user's email, nor the contact someone's username).
        request.username === undefined
          ? services.users.findByKey(contact.value)
          : services.users.findByKey(contact.value, usernameKey(request.username)),
        request.password === undefined ? null : services.hasher.hash(request.password),
      ]);
      if (existing) throw taken();
      const fields: NewUser = {
        id: randomUserId(),
        username: request.username ?? null,
        phone: contact.kind === "phone" ? contact.value : null,
        email: contact.kind === "email" ? contact.value : null,
        name: request.name ?? null,
        passwordHash,
      };
      let user;
      try {
        user = await services.users.insert(fields, services.now());
      } catch (err) {
        // A concurrent signup took the username or contact after the check.
        if (err instanceof UserConflictError) throw taken();
        throw err;
      }
      return openSession(services, user);
    },
    defer,
  );
}
