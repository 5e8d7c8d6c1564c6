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

/** Counts one event if the limit allows it; the verdict says whether it did. */
export function consume(state: WindowState | undefined, rule: WindowLimit, now: number) {
  const window = current(state, rule, now);
  const before = verdict(window, rule, now);
  const next = before.allowed ? { ...window, count: window.count + 1 } : window;
  return { state: next, verdict: before };
}

/** Counts one event unconditionally (a failure that already happened). */
export function record(state: WindowState | undefined, rule: WindowLimit, now: number): WindowState {
  const window = current(state, rule, now);
  return { ...window, count: window.count + 1 };
}
