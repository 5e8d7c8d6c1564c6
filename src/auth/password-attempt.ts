// A password attempt, in the order of docs/protocol.md: per-IP failure limit,
// account lockout (a reservation in the account object before hashing), captcha (checked before
// anything is reserved for the account), password, then the session. Everything that need not
// delay the answer (settling the attempt, counting a failure against the IP, a rehash) is deferred
// to the runtime's waitUntil, so it completes even when the client has gone.
//
// Near the user: the per-IP reservation and the replica read of the user run in parallel, then
// the account object admits; a right password costs one more call to the same object, which opens
// the session only if the password checked is still the account's.
//
// Sign-in and sudo (a signed-in user proving the password again) take the same attempt, with the
// same gates, and differ only in what a right password leads to: a stolen access token must not
// become a password oracle that the lockout does not see.
import { redeemCaptchaToken } from "../captcha/gate";
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import { retryAfter } from "../limits/fixed-window";
import { ipLimitKey } from "../limits/ip-key";
import type { Settlement } from "../lockout/policy";
import { logAuthEvent, pseudonym } from "../observability/auth-events";
import type { Services } from "../services";
import { userKey } from "../storage/accounts";
import type { User } from "../storage/users";
import { currentRow } from "./fresh-user";
import type { SigninIdentifier } from "./identifiers";
import { checkPassword, wrongCredentials, type PasswordCheck } from "./password-signin";
import { blockedError, prepareSession, type TokenResponse } from "./session-issuer";

export interface PasswordAttempt {
  /** The user the password is claimed for (from a replica; checked against the stamp here). */
  findUser: () => Promise<User | undefined>;
  /** The lockout key when no user matches: the normalised sign-in name. */
  unknownKey: string;
  password: string;
  captchaToken: string | undefined;
  /** From CF-Connecting-IP only; null outside Cloudflare's edge (local development). */
  clientIp: string | null;
  requestId: string;
}

const HOUR_MS = 3_600_000;

/** Only evaluated wrong credentials count; a missing password counts nothing. */
const settlementOf = (check: PasswordCheck): Settlement => (check.kind === "wrong_credentials" ? "failure" : "neutral");

/**
 * What a right password leads to, given the user it was right for and the attempt's reservation in
 * `userKey(user.id)`: it must settle that reservation (as a success, or neutral if it opens nothing).
 */
export type OnCorrectPassword<T> = (user: User, reservationId: string, rehash: string | undefined) => Promise<T>;

export interface SigninAttempt extends Omit<PasswordAttempt, "findUser" | "unknownKey"> {
  identifier: SigninIdentifier;
}

export function signInWithPassword(services: Services, attempt: SigninAttempt, defer: Defer): Promise<TokenResponse> {
  const { identifier, ...rest } = attempt;
  return attemptPassword(
    services,
    { ...rest, findUser: () => services.users.findByKey(identifier.key), unknownKey: identifier.normalized },
    (user, reservationId, rehash) => openPasswordSession(services, user, reservationId, defer, rehash),
    defer,
  );
}

/** Runs one password attempt through every gate; a right password goes on to `onCorrect`. */
export async function attemptPassword<T>(
  services: Services,
  attempt: PasswordAttempt,
  onCorrect: OnCorrectPassword<T>,
  defer: Defer,
): Promise<T> {
  const { rateWindows, config } = services;
  const ipRule = { limit: config.ipFailuresPerHour, windowMs: HOUR_MS };
  const ipKey = attempt.clientIp
    ? await ipLimitKey("ip-failures", attempt.clientIp, config.ipV6PrefixLength, config.jwtSigningKeys)
    : undefined;
  // The per-IP slot and the user lookup are independent: one round trip instead of two. A limited
  // IP gets 429 before anything is reserved for the account, counted or hashed. Pending attempts
  // hold a slot, so a concurrent burst cannot get more answers evaluated than the limit.
  const [ipSlot, replicaUser] = await Promise.all([
    ipKey ? rateWindows.reserve(ipKey, ipRule) : undefined,
    attempt.findUser(),
  ]);
  if (ipSlot && !ipSlot.allowed) throw new ApiError("rate_limit_exceeded", { headers: retryAfter(ipSlot) });
  let ipFailed = false;
  try {
    const key = replicaUser ? userKey(replicaUser.id) : attempt.unknownKey;
    let admission = await services.accounts.admitPasswordAttempt(key, config.lockout, attempt.captchaToken ? "unchecked" : "none");
    if (admission.kind === "captcha_check") {
      // Checked (and spent) before the account reserves anything: a bogus token holds nothing.
      if (!(await redeemCaptchaToken(services, attempt.captchaToken!, attempt.clientIp))) throw new ApiError("captcha_invalid");
      admission = await services.accounts.admitPasswordAttempt(key, config.lockout, "passed");
    }
    if (admission.kind === "locked") {
      throw new ApiError("invalid_status", {
        description: "Too many failed attempts: this account is temporarily locked",
        headers: { "Retry-After": String(admission.retryAfterSeconds) },
      });
    }
    if (admission.kind !== "admitted") throw new ApiError("captcha_required");
    const { reservationId } = admission;

    let check: PasswordCheck = { kind: "wrong_credentials" };
    let threw = false;
    try {
      // A replica row behind the account's stamp (a password or status change it has not seen yet)
      // is read again from the primary before anything is compared.
      const user = await currentRow(services, replicaUser, admission.stamp);
      check = await checkPassword(services, user, attempt.password);
      if (check.kind === "correct") return await onCorrect(check.user, reservationId, check.rehash);
    } catch (err) {
      check = { kind: "password_not_set" }; // an attempt that threw is released without counting
      threw = true;
      throw err;
    } finally {
      if (check.kind !== "correct") {
        // Against the IP, password_not_set counts like a wrong password: otherwise it would be an
        // unlimited oracle for which accounts have no password. (Not against the account: there is
        // no password to guess, so locking it would only hinder its owner.)
        ipFailed = !threw;
        defer(recordOutcome(services, key, reservationId, settlementOf(check), attempt, replicaUser));
      }
    }
    throw check.kind === "password_not_set" ? new ApiError("password_not_set") : wrongCredentials();
  } finally {
    if (ipKey && ipSlot?.reservationId) defer(rateWindows.settle(ipKey, ipRule, ipSlot.reservationId, ipFailed));
  }
}

/** Opens the session in the account object, which also settles the attempt as a success. */
async function openPasswordSession(services: Services, user: User, reservationId: string, defer: Defer, rehashOf?: string) {
  const { session, tokens } = await prepareSession(services, user.id);
  const answer = await services.accounts.completePasswordSignin(user, services.config.lockout, reservationId, session);
  // Blocking is revealed only to someone who proved the password. A password changed (or the
  // account deleted) while this one was being checked opens nothing.
  if (answer.kind === "blocked") throw blockedError();
  if (answer.kind !== "opened") throw wrongCredentials();
  if (rehashOf !== undefined) {
    const checked = user.passwordHash!;
    defer(services.hasher.hash(rehashOf).then((fresh) => services.users.storeRehash(user.id, checked, fresh, services.now())));
  }
  return tokens;
}

async function recordOutcome(
  services: Services,
  key: string,
  reservationId: string,
  settlement: Settlement,
  attempt: PasswordAttempt,
  user: User | undefined,
): Promise<void> {
  const lockSeconds = await services.accounts.recordPasswordOutcome(key, services.config.lockout, reservationId, settlement);
  if (lockSeconds !== null) {
    const account = user ? user.id : await pseudonym(attempt.unknownKey, services.config.jwtSigningKeys);
    logAuthEvent(attempt.requestId, { event: "account.locked", account, lock_seconds: lockSeconds });
  }
}
