// The limits of docs/protocol.md §3 as pure decisions, each in one place. Per contact (decided here,
// applied by the contact's Durable Object): a send within 60 s of the last one, a send past
// SENDS_PER_CONTACT_PER_DAY in a sliding 24 h, and any send once WRONG_CODES_PER_CONTACT_PER_HOUR
// wrong codes were tried, each need a captcha; none of them refuses outright, so someone who
// knows only a contact cannot keep its owner from getting a code. MAX_ATTEMPTS evaluated guesses
// per code. The per-IP hourly send budget past which every send needs a captcha is a RateWindow
// fixed window (src/limits/).
import type { WindowLimit } from "../limits/fixed-window";

export const COOLDOWN_MS = 60_000;
export const CONTACT_WINDOW_MS = 86_400_000;
export const WRONG_CODE_WINDOW_MS = 3_600_000;
export const IP_WINDOW_MS = 3_600_000;
export const MAX_ATTEMPTS = 5;
/** A new send spares the codes delivered less than COOLDOWN_MS ago; at most this many stay live. */
export const MAX_LIVE_CODES = 4;

/** The per-contact numbers from the configuration. */
export interface ContactPolicy {
  sendsPerDay: number;
  wrongCodesPerHour: number;
}

export type CaptchaReason = "cooldown" | "daily_budget" | "wrong_codes";

export type ContactSendVerdict =
  | { kind: "allowed" }
  /** Only a send that passed a captcha may go out; `retryAfterSeconds` when waiting also lifts it. */
  | { kind: "captcha_required"; reason: CaptchaReason; retryAfterSeconds?: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Whether the contact's wrong codes of the last hour have used up its budget. */
export function wrongCodeBudgetSpent(wrongAt: readonly number[], policy: ContactPolicy, now: number): boolean {
  return wrongAt.filter((at) => at > now - WRONG_CODE_WINDOW_MS).length >= policy.wrongCodesPerHour;
}

/**
 * Whether one more send to a contact may go out without a captcha, given the times of its sends
 * that went out and of its wrong codes (any order; older ones count for nothing).
 */
export function decideContactSend(
  sentAt: readonly number[],
  wrongAt: readonly number[],
  policy: ContactPolicy,
  now: number,
): ContactSendVerdict {
  if (wrongCodeBudgetSpent(wrongAt, policy, now)) return { kind: "captcha_required", reason: "wrong_codes" };
  const recent = sentAt.filter((at) => at > now - CONTACT_WINDOW_MS);
  if (recent.length === 0) return { kind: "allowed" };
  const latest = Math.max(...recent);
  if (now < latest + COOLDOWN_MS) {
    return { kind: "captcha_required", reason: "cooldown", retryAfterSeconds: seconds(latest + COOLDOWN_MS - now) };
  }
  if (recent.length >= policy.sendsPerDay) {
    // The send whose ageing out brings the count back under the budget (the oldest, unless the
    // budget was lowered since).
    const freeing = recent.sort((a, b) => a - b)[recent.length - policy.sendsPerDay]!;
    return { kind: "captcha_required", reason: "daily_budget", retryAfterSeconds: seconds(freeing + CONTACT_WINDOW_MS - now) };
  }
  return { kind: "allowed" };
}

export type GuessVerdict = "evaluate" | "used_up" | "new_code_needed";

/**
 * Whether a live code may take one more guess: fewer than MAX_ATTEMPTS evaluated, and, once the
 * contact's wrong-code budget is spent, only a code that was sent with a captcha.
 */
export function mayGuess(
  code: { attempts: number; expiresAt: number; captcha: boolean },
  wrongAt: readonly number[],
  policy: ContactPolicy,
  now: number,
): GuessVerdict {
  if (code.attempts >= MAX_ATTEMPTS || now >= code.expiresAt) return "used_up";
  if (!code.captcha && wrongCodeBudgetSpent(wrongAt, policy, now)) return "new_code_needed";
  return "evaluate";
}

/** The per-IP send budget as the RateWindow rule that counts it. */
export function ipSendRule(perIpPerHour: number): WindowLimit {
  return { limit: perIpPerHour, windowMs: IP_WINDOW_MS };
}
