// The send limits of contract §3 as a pure decision over counts read from storage: one send per
// contact per 60 s, SENDS_PER_CONTACT_PER_DAY per contact in a sliding 24 h, and a captcha on
// every send past SENDS_PER_IP_PER_HOUR from one IP in a sliding hour.

export const COOLDOWN_MS = 60_000;
export const CONTACT_WINDOW_MS = 86_400_000;
export const IP_WINDOW_MS = 3_600_000;

export interface SendLimits {
  perContactPerDay: number;
  perIpPerHour: number;
}

/** What storage knows about earlier sends (only sends that went out count). */
export interface SendHistory {
  /** Newest send to this contact within the last 24 h. */
  contactLatestAt: number | null;
  /** Oldest send to this contact within the last 24 h. */
  contactOldestAt: number | null;
  contactCount: number;
  /** Sends from this IP within the last hour. */
  ipCount: number;
}

export type SendVerdict =
  | { kind: "allowed" }
  | { kind: "captcha_needed" }
  | { kind: "rate_limited"; retryAfterSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Contact limits first (a captcha cannot lift them), then the per-IP captcha threshold. */
export function decideSend(history: SendHistory, limits: SendLimits, now: number): SendVerdict {
  if (history.contactLatestAt !== null && now < history.contactLatestAt + COOLDOWN_MS) {
    return { kind: "rate_limited", retryAfterSeconds: seconds(history.contactLatestAt + COOLDOWN_MS - now) };
  }
  if (history.contactCount >= limits.perContactPerDay) {
    const oldest = history.contactOldestAt ?? now;
    return { kind: "rate_limited", retryAfterSeconds: seconds(oldest + CONTACT_WINDOW_MS - now) };
  }
  if (history.ipCount >= limits.perIpPerHour) return { kind: "captcha_needed" };
  return { kind: "allowed" };
}
