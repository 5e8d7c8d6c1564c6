// The service's daily send budget per channel (SENDS_PER_DAY; docs/security.md): it bounds what
// SMS pumping can cost. It is counted in one RateWindow object per channel, which, deployed, sits
// in one place, far from most users. So a send does not always wait for it:
// - each isolate remembers the last verdict it saw for the channel;
// - while that verdict is fresh and leaves more than HEADROOM sends, a send is counted after the
//   answer; at most IN_FLIGHT_CREDIT such sends are out uncounted in an isolate at once, each
//   taken from the room the verdict left, so racing requests cannot spend more than that;
// - close to the budget, or with no fresh verdict, a send is counted before it goes out, exactly
//   as a limit is (atomically, given back if the send did not go out);
// - a budget seen spent refuses sends without asking until its window ends.
// The budget can be overshot only by sends already uncounted in other isolates when the headroom
// ran out: at most IN_FLIGHT_CREDIT per isolate. A count that fails makes the next send count first (and fail
// closed if the object is still unreachable).
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import { retryAfter, type WindowLimit, type WindowVerdict } from "../limits/fixed-window";
import { logAuthEvent } from "../observability/auth-events";
import type { Services } from "../services";

const DAY_MS = 86_400_000;
/** How long a verdict stands for the isolate that saw it. */
export const VERDICT_FRESH_MS = 60_000;
/** Below this many sends left, every send is counted before it goes out. */
export const HEADROOM = 10;
/** The most sends an isolate may have out and not yet counted. */
export const IN_FLIGHT_CREDIT = 10;

/** The channel's rule for the whole service: SENDS_PER_DAY in a fixed day. */
export const channelSendRule = (sendsPerDay: number): WindowLimit => ({ limit: sendsPerDay, windowMs: DAY_MS });

/** What an isolate last learned of a channel's budget. */
export type KnownBudget = { limit: number; at: number } & ({ kind: "room"; left: number } | { kind: "spent"; until: number });

/** What the verdict of a count tells about the budget, as of `now`. */
export function learned(verdict: WindowVerdict, limit: number, now: number): KnownBudget {
  return verdict.allowed
    ? { kind: "room", left: limit - verdict.count - 1, limit, at: now }
    : { kind: "spent", until: now + verdict.retryAfterSeconds * 1000, limit, at: now };
}

/**
 * How a send is counted given what is known and how many of this isolate's sends are out
 * uncounted: refused, counted after the answer, or before it.
 */
export function countingOf(known: KnownBudget | undefined, limit: number, now: number, uncounted: number): "refuse" | "after" | "before" {
  if (!known || known.limit !== limit) return "before";
  if (known.kind === "spent") return now < known.until ? "refuse" : "before";
  const fresh = now - known.at < VERDICT_FRESH_MS;
  return fresh && uncounted < IN_FLIGHT_CREDIT && known.left - uncounted > HEADROOM ? "after" : "before";
}

const knownBudgets = new Map<string, KnownBudget>();
/** Per channel: this isolate's sends admitted to be counted after the answer whose count has not returned. */
const uncountedSends = new Map<string, number>();
const addUncounted = (key: string, delta: number) => uncountedSends.set(key, (uncountedSends.get(key) ?? 0) + delta);

export interface ChannelSlot {
  /** Settles when the send may go out; rejects with 429 past the budget. */
  admitted: Promise<void>;
  /** After the answer: counts a send that went out, or gives back a slot taken for one that did not. */
  finish(sent: boolean): void;
}

export function takeChannelSlot(services: Services, channel: "sms" | "email", requestId: string, defer: Defer): ChannelSlot {
  const { rateWindows, config } = services;
  const rule = channelSendRule(config.sendsPerDay);
  const key = `channel-sends:${channel}`;
  const note = (verdict: WindowVerdict) => {
    knownBudgets.set(key, learned(verdict, rule.limit, services.now()));
    if (verdict.allowed && verdict.count + 1 === rule.limit) {
      logAuthEvent(requestId, { event: "sends.budget_reached", channel, limit: rule.limit });
    }
    return verdict;
  };
  const known = knownBudgets.get(key);
  let slot: ChannelSlot;
  switch (countingOf(known, rule.limit, services.now(), uncountedSends.get(key) ?? 0)) {
    case "refuse": {
      const until = (known as { until: number }).until;
      slot = { admitted: Promise.reject(spent(Math.ceil((until - services.now()) / 1000))), finish: () => undefined };
      break;
    }
    case "after":
      // Held from admission until the send's count has returned (or the send did not go out).
      addUncounted(key, 1);
      slot = {
        admitted: Promise.resolve(),
        finish: (sent) => {
          if (!sent) return void addUncounted(key, -1);
          defer(
            rateWindows
              .consume(key, rule)
              .then(note, () => knownBudgets.delete(key))
              .finally(() => addUncounted(key, -1)),
          );
        },
      };
      break;
    case "before": {
      const verdict = rateWindows.consume(key, rule).then(note);
      slot = {
        admitted: verdict.then((result) => {
          if (!result.allowed) throw spent(result.retryAfterSeconds);
        }),
        finish: (sent) => {
          if (!sent) defer(verdict.then((result) => (result.allowed ? rateWindows.giveBack(key, rule) : undefined), () => undefined));
        },
      };
    }
  }
  // Awaited a little later, beside the other checks: not an unhandled rejection meanwhile.
  slot.admitted.catch(() => undefined);
  return slot;
}

function spent(retryAfterSeconds: number): ApiError {
  return new ApiError("rate_limit_exceeded", {
    description: "The service's daily code budget for this channel is used up; retry later",
    headers: retryAfter({ allowed: false, count: 0, retryAfterSeconds: Math.max(1, retryAfterSeconds) }),
  });
}
