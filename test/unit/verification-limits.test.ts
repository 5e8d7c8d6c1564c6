import { describe, expect, it } from "vitest";
import { decideSend, type SendHistory } from "../../src/auth/verification-limits";

const limits = { perContactPerDay: 20, perIpPerHour: 30 };
const NOW = 1_700_000_000_000;
const none: SendHistory = { contactLatestAt: null, contactOldestAt: null, contactCount: 0, ipCount: 0 };

describe("decideSend", () => {
  it("allows a first send", () => {
    expect(decideSend(none, limits, NOW)).toEqual({ kind: "allowed" });
  });

  it("refuses a send within 60 s of the last one, with the seconds left (rounded up)", () => {
    const history = { ...none, contactLatestAt: NOW - 10_500, contactOldestAt: NOW - 10_500, contactCount: 1 };
    expect(decideSend(history, limits, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 50 });
    expect(decideSend({ ...history, contactLatestAt: NOW - 59_999 }, limits, NOW)).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 1,
    });
    expect(decideSend({ ...history, contactLatestAt: NOW - 60_000 }, limits, NOW)).toEqual({ kind: "allowed" });
  });

  it("refuses the send past the daily count until the oldest send is 24 h old", () => {
    const history = { ...none, contactLatestAt: NOW - 120_000, contactOldestAt: NOW - 3_600_000, contactCount: 20 };
    expect(decideSend(history, limits, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 82_800 });
    expect(decideSend({ ...history, contactCount: 19 }, limits, NOW)).toEqual({ kind: "allowed" });
  });

  it("asks for a captcha past the per-IP count, but contact limits come first", () => {
    expect(decideSend({ ...none, ipCount: 30 }, limits, NOW)).toEqual({ kind: "captcha_needed" });
    expect(decideSend({ ...none, ipCount: 29 }, limits, NOW)).toEqual({ kind: "allowed" });
    expect(decideSend({ ...none, ipCount: 30, contactLatestAt: NOW - 1000, contactCount: 1 }, limits, NOW).kind).toBe(
      "rate_limited",
    );
  });
});
