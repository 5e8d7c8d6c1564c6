// Client side of the RateWindow Durable Objects: one object per key, failures fail closed (503).
import { ApiError } from "../errors";
import type { Env } from "../env";
import type { WindowLimit, WindowVerdict } from "./fixed-window";

type Operation = "check" | "consume" | "record";

/** Runs one RPC on the window of `key`; an unreachable object is 503 `unavailable`, never a pass. */
export async function rateWindow(env: Env, key: string, operation: Operation, rule: WindowLimit): Promise<WindowVerdict> {
  try {
    const stub = env.RATE_WINDOWS.get(env.RATE_WINDOWS.idFromName(key));
    return await stub[operation](rule);
  } catch (err) {
    throw new ApiError("unavailable", { cause: err });
  }
}

/** Admits one pending event (a password attempt) against the window; see RateWindow.reserve. */
export async function reserveInWindow(env: Env, key: string, rule: WindowLimit): Promise<WindowVerdict & { reservationId?: string }> {
  try {
    return await env.RATE_WINDOWS.get(env.RATE_WINDOWS.idFromName(key)).reserve(rule);
  } catch (err) {
    throw new ApiError("unavailable", { cause: err });
  }
}

/** Settles a reservation: `happened` counts the event. */
export async function settleInWindow(env: Env, key: string, rule: WindowLimit, reservationId: string, happened: boolean): Promise<void> {
  try {
    await env.RATE_WINDOWS.get(env.RATE_WINDOWS.idFromName(key)).settle(rule, reservationId, happened);
  } catch (err) {
    throw new ApiError("unavailable", { cause: err });
  }
}

/** Gives back one event counted by `consume` (e.g. a send that did not go out). */
export async function releaseRateWindow(env: Env, key: string, rule: WindowLimit): Promise<void> {
  try {
    await env.RATE_WINDOWS.get(env.RATE_WINDOWS.idFromName(key)).release(rule);
  } catch (err) {
    throw new ApiError("unavailable", { cause: err });
  }
}

export async function resetRateWindow(env: Env, key: string): Promise<void> {
  try {
    await env.RATE_WINDOWS.get(env.RATE_WINDOWS.idFromName(key)).reset();
  } catch (err) {
    throw new ApiError("unavailable", { cause: err });
  }
}

/** The Retry-After header of a 429. */
export function retryAfter(verdict: WindowVerdict): Record<string, string> {
  return { "Retry-After": String(verdict.retryAfterSeconds) };
}
