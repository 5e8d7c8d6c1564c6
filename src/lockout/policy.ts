// The password lockout policy of docs/protocol.md §2 as pure functions of (state, event, now, policy).
// The AccountGuard Durable Object only stores the state and calls these.
import type { LockoutPolicy } from "../config";

/** How long an admitted attempt may stay unsettled before it stops counting (a crashed request). */
export const RESERVATION_TTL_MS = 30_000;
/** A lock never lasts longer than a day, however often it doubles. */
export const MAX_LOCK_SECONDS = 86_400;

export interface Reservation {
  id: string;
  expiresAt: number;
}

export interface GuardState {
  /** Times (epoch ms) of evaluated failures inside the failure window. */
  failures: number[];
  /** Start times of locks inside the failure window: each further lock doubles. */
  locks: number[];
  lockedUntil: number;
  reservations: Reservation[];
}

export const EMPTY_STATE: GuardState = { failures: [], locks: [], lockedUntil: 0, reservations: [] };

export type Admission =
  | { kind: "admitted"; reservationId: string; state: GuardState }
  | { kind: "locked"; retryAfterSeconds: number }
  | { kind: "captcha_required" }
  /** A captcha is required and one was presented: check it, then ask again with "passed". */
  | { kind: "captcha_check" };

export type Settlement = "failure" | "success" | "neutral";

/** Drops failures and locks that have aged out of the window (reservations: expireReservations). */
export function prune(state: GuardState, now: number, policy: LockoutPolicy): GuardState {
  const windowStart = now - policy.failureWindowSeconds * 1000;
  const locks = state.locks.filter((at) => at > windowStart);
  // Spread first: a field this version does not know (a newer rule's) is kept, never dropped.
  return {
    ...state,
    failures: state.failures.filter((at) => at > windowStart),
    locks,
    // The end of the last lock is kept while that lock is in the window: failures after it count
    // towards the next lock, failures settled during it (attempts admitted before it) do not.
    lockedUntil: locks.length > 0 || state.lockedUntil > now ? state.lockedUntil : 0,
  };
}

/**
 * Settles every reservation that expired unsettled as a failure at its expiry: an attempt whose
 * outcome never arrived (a lost settle, an evicted object) is not free. Settles are sent through
 * the runtime's waitUntil, so this happens only when something went wrong.
 */
export function expireReservations(state: GuardState, now: number, policy: LockoutPolicy): GuardState {
  const expired = state.reservations.filter((r) => r.expiresAt <= now).sort((a, b) => a.expiresAt - b.expiresAt);
  let next: GuardState = { ...state, reservations: state.reservations.filter((r) => r.expiresAt > now) };
  for (const { expiresAt } of expired) next = recordOutcome(prune(next, expiresAt, policy), "failure", expiresAt, policy);
  return prune(next, now, policy);
}

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));

/** Failures since the last lock ended: these count towards the next lock. */
function failuresSinceLock(state: GuardState): number {
  return state.failures.filter((at) => at >= state.lockedUntil).length;
}

/**
 * What the attempt brings towards a captcha: nothing, a token not checked yet, or a token that was
 * checked and spent. A token is checked only when the captcha is required, and before anything is
 * reserved: a bogus token never holds a reservation while it is being checked.
 */
export type CaptchaProof = "none" | "unchecked" | "passed";

/**
 * Decides whether a password attempt may be evaluated. Pending reservations count as if they
 * were failures, so concurrent attempts cannot overshoot the captcha or lock thresholds.
 */
export function admit(
  stored: GuardState,
  captcha: CaptchaProof,
  reservationId: string,
  now: number,
  policy: LockoutPolicy,
): Admission {
  const state = expireReservations(stored, now, policy);
  if (state.lockedUntil > now) return { kind: "locked", retryAfterSeconds: secondsUntil(state.lockedUntil, now) };
  const inFlight = state.reservations.length;
  // Attempts whose outcomes could reach the lock threshold wait until those outcomes are known.
  // (With nothing in flight the attempt is admitted: its own failure would lock.)
  if (inFlight > 0 && failuresSinceLock(state) + inFlight >= policy.lockAfterFailures) {
    const soonest = Math.min(...state.reservations.map((r) => r.expiresAt));
    return { kind: "locked", retryAfterSeconds: secondsUntil(soonest, now) };
  }
  // Every failure in the window counts here: after a lock ends, the captcha is still required.
  const captchaRequired = state.failures.length + inFlight >= policy.captchaAfterFailures;
  if (captchaRequired && captcha === "none") return { kind: "captcha_required" };
  if (captchaRequired && captcha === "unchecked") return { kind: "captcha_check" };
  const reservations = [...state.reservations, { id: reservationId, expiresAt: now + RESERVATION_TTL_MS }];
  return { kind: "admitted", reservationId, state: { ...state, reservations } };
}

/** The lock length after `previousLocks` locks inside the window: doubling, capped at a day. */
export function lockSeconds(previousLocks: number, policy: LockoutPolicy): number {
  return Math.min(policy.lockSeconds * 2 ** Math.min(previousLocks, 20), MAX_LOCK_SECONDS);
}

/** Records the outcome of an admitted attempt. An unknown (expired) reservation still counts a failure. */
export function settle(
  stored: GuardState,
  reservationId: string,
  outcome: Settlement,
  now: number,
  policy: LockoutPolicy,
): GuardState {
  const state = expireReservations(stored, now, policy);
  const reservations = state.reservations.filter((r) => r.id !== reservationId);
  return recordOutcome({ ...state, reservations }, outcome, now, policy);
}

function recordOutcome(state: GuardState, outcome: Settlement, now: number, policy: LockoutPolicy): GuardState {
  if (outcome === "success") return { ...state, failures: [], locks: [], lockedUntil: 0 };
  if (outcome === "neutral") return state;
  const next = { ...state, failures: [...state.failures, now] };
  if (failuresSinceLock(next) < policy.lockAfterFailures || state.lockedUntil > now) return next;
  // The failure that reaches the threshold locks; the next lock needs as many new failures.
  return { ...next, locks: [...state.locks, now], lockedUntil: now + lockSeconds(state.locks.length, policy) * 1000 };
}

/** When the state holds nothing any more (for the cleanup alarm); undefined when already empty. */
export function expiresAt(state: GuardState, policy: LockoutPolicy): number | undefined {
  const window = policy.failureWindowSeconds * 1000;
  const times = [
    ...state.failures.map((at) => at + window),
    ...state.locks.map((at) => at + window),
    ...state.reservations.map((r) => r.expiresAt),
    state.lockedUntil,
  ].filter((at) => at > 0);
  return times.length ? Math.max(...times) : undefined;
}
