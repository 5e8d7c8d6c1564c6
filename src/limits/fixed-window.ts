// A fixed-window counter as a pure function of (state, now): the per-IP and per-contact limits.

export interface WindowState {
  /** Epoch ms when the current window opened. */
  start: number;
  count: number;
}

export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface WindowVerdict {
  allowed: boolean;
  count: number;
  /** Seconds until the window ends (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

/** The state as of `now`: a window that has ended starts over. */
export function current(state: WindowState | undefined, rule: WindowLimit, now: number): WindowState {
  return state && now < state.start + rule.windowMs ? state : { start: now, count: 0 };
}

export function verdict(state: WindowState, rule: WindowLimit, now: number): WindowVerdict {
  const allowed = state.count < rule.limit;
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((state.start + rule.windowMs - now) / 1000));
  return { allowed, count: state.count, retryAfterSeconds };
}

/** The Retry-After header of a 429. */
export function retryAfter(verdict: WindowVerdict): Record<string, string> {
  return { "Retry-After": String(verdict.retryAfterSeconds) };
}

/** Counts one event if the limit allows it; the verdict says whether it did. */
export function consume(state: WindowState | undefined, rule: WindowLimit, now: number) {
  const window = current(state, rule, now);
  const before = verdict(window, rule, now);
  const next = before.allowed ? { ...window, count: window.count + 1 } : window;
  return { state: next, verdict: before };
}

/** An event admitted but whose outcome is not known yet (a password being checked). */
export interface WindowReservation {
  id: string;
  expiresAt: number;
}

/** How long an admitted event may stay unsettled before it counts as if it had happened. */
const WINDOW_RESERVATION_TTL_MS = 30_000;

/**
 * The window with every reservation that expired unsettled counted as an event: an attempt whose
 * outcome never arrived is not free.
 */
export function expireWindowReservations(
  state: WindowState | undefined,
  reservations: WindowReservation[],
  rule: WindowLimit,
  now: number,
): { state: WindowState; reservations: WindowReservation[] } {
  let window = current(state, rule, now);
  const live = reservations.filter((r) => r.expiresAt > now);
  for (let i = live.length; i < reservations.length; i++) window = { ...window, count: window.count + 1 };
  return { state: window, reservations: live };
}

/**
 * Admits one event whose outcome is pending: allowed while counted events plus pending ones stay
 * under the limit, so a burst of concurrent attempts cannot overshoot it.
 */
export function reserve(
  state: WindowState | undefined,
  reservations: WindowReservation[],
  rule: WindowLimit,
  id: string,
  now: number,
) {
  const expired = expireWindowReservations(state, reservations, rule, now);
  const pending = { ...expired.state, count: expired.state.count + expired.reservations.length };
  const before = verdict(pending, rule, now);
  const next = before.allowed ? [...expired.reservations, { id, expiresAt: now + WINDOW_RESERVATION_TTL_MS }] : expired.reservations;
  return { state: expired.state, reservations: next, verdict: before };
}

/** Settles a reservation: counted when the event happened (an unknown reservation too), else dropped. */
export function settleReservation(
  state: WindowState | undefined,
  reservations: WindowReservation[],
  rule: WindowLimit,
  id: string,
  happened: boolean,
  now: number,
) {
  const expired = expireWindowReservations(state, reservations, rule, now);
  const remaining = expired.reservations.filter((r) => r.id !== id);
  const window = happened ? { ...expired.state, count: expired.state.count + 1 } : expired.state;
  return { state: window, reservations: remaining };
}
