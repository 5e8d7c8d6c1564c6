// Client side of the AccountGuard Durable Objects. An unreachable object fails closed (503):
// nobody is signed in without the lockout check.
import type { LockoutPolicy } from "../config";
import type { Env } from "../env";
import { ApiError } from "../errors";
import type { Settlement } from "./policy";
import type { AdmissionAnswer } from "./account-guard-object";

/** The account key of contract §2: the user's id when known, else the normalised identifier. */
export function accountKey(userId: string | undefined, normalizedIdentifier: string): string {
  return userId !== undefined ? `user:${userId}` : normalizedIdentifier;
}

function guard(env: Env, key: string) {
  return env.ACCOUNT_GUARD.get(env.ACCOUNT_GUARD.idFromName(key));
}

async function failClosed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new ApiError("unavailable", { cause: err });
  }
}

export const admitAttempt = (env: Env, key: string, policy: LockoutPolicy, captchaTokenPresented: boolean) =>
  failClosed<AdmissionAnswer>(() => guard(env, key).admit(policy, captchaTokenPresented));

export const settleAttempt = (env: Env, key: string, policy: LockoutPolicy, reservationId: string, outcome: Settlement) =>
  failClosed(() => guard(env, key).settle(policy, reservationId, outcome));

export const clearLockout = (env: Env, key: string) => failClosed(() => guard(env, key).clear());
