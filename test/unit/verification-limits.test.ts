import { describe, expect, it } from "vitest";
import { decideContactSend, ipSendRule, MAX_ATTEMPTS, mayGuess } from "../../src/auth/verification-limits";

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

describe("decideContactSend", () => {
  it("allows a first send", () => {
    expect(decideContactSend([], 20, NOW)).toEqual({ kind: "allowed" });
  });

  it("refuses a send within 60 s of the last one, with the seconds left (rounded up)", () => {
    expect(decideContactSend([NOW - 10_500], 20, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 50 });
    expect(decideContactSend([NOW - 59_999], 20, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 1 });
    expect(decideContactSend([NOW - 60_000], 20, NOW)).toEqual({ kind: "allowed" });
  });

  it("the cooldown follows the newest send, whatever the order given", () => {
    expect(decideContactSend([NOW - 1_000, NOW - 3_600_000], 20, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 59 });
  });

  it("refuses the send past the daily count until the oldest send is 24 h old", () => {
    const sends = [NOW - 3_600_000, ...Array.from({ length: 19 }, (_, i) => NOW - 120_000 - i * 1000)];
    expect(decideContactSend(sends, 20, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 82_800 });
    expect(decideContactSend(sends.slice(0, 19), 20, NOW)).toEqual({ kind: "allowed" });
  });

  it("is a sliding 24 h: a send exactly 24 h old no longer counts", () => {
    expect(decideContactSend([NOW - DAY, NOW - 120_000], 2, NOW)).toEqual({ kind: "allowed" });
    expect(decideContactSend([NOW - DAY + 1, NOW - 120_000], 2, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 1 });
  });

  it("past a lowered limit, waits for enough sends to age out, not just the oldest", () => {
    const sends = [NOW - 5 * 3_600_000, NOW - 4 * 3_600_000, NOW - 3 * 3_600_000];
    expect(decideContactSend(sends, 2, NOW)).toEqual({ kind: "rate_limited", retryAfterSeconds: 20 * 3600 });
  });
});

describe("mayGuess", () => {
  it(`allows ${MAX_ATTEMPTS} evaluated guesses while the code is live`, () => {
    expect(mayGuess({ attempts: 0, expiresAt: NOW + 1 }, NOW)).toBe(true);
    expect(mayGuess({ attempts: MAX_ATTEMPTS - 1, expiresAt: NOW + 1 }, NOW)).toBe(true);
    expect(mayGuess({ attempts: MAX_ATTEMPTS, expiresAt: NOW + 1 }, NOW)).toBe(false);
  });

  it("refuses any guess from the moment the code expires", () => {
    expect(mayGuess({ attempts: 0, expiresAt: NOW }, NOW)).toBe(false);
  });
});

describe("ipSendRule", () => {
  it("is SENDS_PER_IP_PER_HOUR in an hour's window", () => {
    expect(ipSendRule(30)).toEqual({ limit: 30, windowMs: 3_600_000 });
  });
});
