// Sign-up with a verified contact (contract §4): the user gets the phone or email the token
// proves. Conflicts answer 409 and leave the token usable; only a created user uses it up.
import { randomUserId } from "../crypto/random";
import { ApiError } from "../errors";
import type { Services } from "../services";
import { requireEnabled } from "./switches";
import { UserConflictError, type NewUser } from "../storage/users";
import { openSession, type TokenResponse } from "./session-issuer";
import { contactLookup } from "./verification-contact";
import { consumeToken, inspectToken, releaseToken } from "./verification-token";

export interface SignupRequest {
  verificationToken: string;
  username?: string;
  password?: string;
  name?: string;
}

const taken = () => new ApiError("already_exists");

export async function signUp(services: Services, request: SignupRequest): Promise<TokenResponse> {
  await requireEnabled(services, "signup");
  const presented = await inspectToken(services, request.verificationToken);
  const { verified } = presented;
  const lookup = { ...contactLookup({ kind: verified.kind, value: verified.contact }), username: request.username };
  // Checked before the token is consumed, so the common conflict never touches it.
  if (await services.users.findByIdentifier(lookup)) throw taken();

  const fields: NewUser = {
    id: randomUserId(),
    username: request.username ?? null,
    phone: verified.kind === "phone" ? verified.contact : null,
    email: verified.kind === "email" ? verified.contact : null,
    name: request.name ?? null,
    passwordHash: request.password === undefined ? null : await services.hasher.hash(request.password),
  };
  const usedAt = await consumeToken(services, presented);
  let user;
  try {
    user = await services.users.insert(fields, services.now());
  } catch (err) {
    // A concurrent signup took the username or contact after the check: the token stays usable.
    await releaseToken(services, presented, usedAt);
    if (err instanceof UserConflictError) throw taken();
    throw err;
  }
  return openSession(services, user);
}
