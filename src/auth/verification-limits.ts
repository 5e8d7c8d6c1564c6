// The limits of contract §3 as pure decisions, each in one place: one send per contact per 60 s
// and SENDS_PER_CONTACT_PER_DAY per contact in a sliding 24 h (decided here, applied by the
// contact's Durable Object), MAX_ATTEMPTS evaluated guesses per code, and the per-IP hourly send
// budget past which every send needs a captcha (a RateWindow fixed window, src/limits/).
import type { WindowLimit } from "../limits/fixed-window";

export const COOLDOWN_MS = 60_000;
export const CONTACT_WINDOW_MS = 86_400_000;
export const IP_WINDOW_MS = 3_600_000;
export const MAX_ATTEMPTS = 5;

export type ContactSendVerdict = { kind: "allowed" } | { kind: "rate_limited"; retryAfterSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Whether one more send to a contact is allowed, given the times of its sends that went out
 * (any order; those older than 24 h count for nothing). Only a later time lifts a refusal.
 */
export function decideContactSend(sentAt: readonly number[], perContactPerDay: number, now: number): ContactSendVerdict {
  const recent = sentAt.filter((at) => at > now - CONTACT_WINDOW_MS);
  if (recent.length === 0) return { kind: "allowed" };
  const latest = Math.max(...recent);
  if (now < latest + COOLDOWN_MS) return { kind: "rate_limited", retryAfterSeconds: seconds(latest + COOLDOWN_MS - now) };
  if (recent.length >= perContactPerDay) {
    // The send whose ageing out brings the count back under the limit (the oldest, unless the
    // limit was lowered since).
    const freeing = recent.sort((a, b) => a - b)[recent.length - perContactPerDay]!;
    return { kind: "rate_limited", retryAfterSeconds: seconds(freeing + CONTACT_WINDOW_MS - now) };
  }
  return { kind: "allowed" };
}

/** Whether a code may take one more guess: it is live and has evaluated fewer than MAX_ATTEMPTS. */
export function mayGuess(code: { attempts: number; expiresAt: number }, now: number): boolean {
  return code.attempts < MAX_ATTEMPTS && now < code.expiresAt;
}

/** The per-IP send budget as the RateWindow rule that counts it. */
export function ipSendRule(perIpPerHour: number): WindowLimit {
  return { limit: perIpPerHour, windowMs: IP_WINDOW_MS };
}
