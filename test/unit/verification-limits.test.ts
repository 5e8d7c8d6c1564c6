import { describe, expect, it } from "vitest";
import { decideContactSend, ipSendRule, MAX_ATTEMPTS, mayGuess, wrongCodeBudgetSpent } from "../../src/auth/verification-limits";

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const policy = (sendsPerDay = 20, wrongCodesPerHour = 10) => ({ sendsPerDay, wrongCodesPerHour });

describe("decideContactSend", () => {
  it("allows a first send", () => {
    expect(decideContactSend([], [], policy(), NOW)).toEqual({ kind: "allowed" });
  });

  it("asks for a captcha within 60 s of the last send, with the seconds left (rounded up)", () => {
    expect(decideContactSend([NOW - 10_500], [], policy(), NOW)).toEqual({ kind: "captcha_required", reason: "cooldown", retryAfterSeconds: 50 });
    expect(decideContactSend([NOW - 59_999], [], policy(), NOW)).toMatchObject({ reason: "cooldown", retryAfterSeconds: 1 });
    expect(decideContactSend([NOW - 60_000], [], policy(), NOW)).toEqual({ kind: "allowed" });
  });

  it("the cooldown follows the newest send, whatever the order given", () => {
    expect(decideContactSend([NOW - 1_000, NOW - HOUR], [], policy(), NOW)).toMatchObject({ reason: "cooldown", retryAfterSeconds: 59 });
  });

  it("asks for a captcha past the daily budget until the oldest send is 24 h old", () => {
    const sends = [NOW - HOUR, ...Array.from({ length: 19 }, (_, i) => NOW - 120_000 - i * 1000)];
    expect(decideContactSend(sends, [], policy(), NOW)).toEqual({ kind: "captcha_required", reason: "daily_budget", retryAfterSeconds: 82_800 });
    expect(decideContactSend(sends.slice(0, 19), [], policy(), NOW)).toEqual({ kind: "allowed" });
  });

  it("is a sliding 24 h: a send exactly 24 h old no longer counts", () => {
    expect(decideContactSend([NOW - DAY, NOW - 120_000], [], policy(2), NOW)).toEqual({ kind: "allowed" });
    expect(decideContactSend([NOW - DAY + 1, NOW - 120_000], [], policy(2), NOW)).toMatchObject({ reason: "daily_budget", retryAfterSeconds: 1 });
  });

  it("past a lowered budget, waits for enough sends to age out, not just the oldest", () => {
    const sends = [NOW - 5 * HOUR, NOW - 4 * HOUR, NOW - 3 * HOUR];
    expect(decideContactSend(sends, [], policy(2), NOW)).toMatchObject({ reason: "daily_budget", retryAfterSeconds: 20 * 3600 });
  });

  it("asks for a captcha (no wait lifts it early) once the wrong-code budget of the last hour is spent", () => {
    const wrong = [NOW - HOUR + 1, NOW - 1000];
    expect(decideContactSend([], wrong, policy(20, 2), NOW)).toEqual({ kind: "captcha_required", reason: "wrong_codes" });
    expect(decideContactSend([], wrong, policy(20, 3), NOW)).toEqual({ kind: "allowed" });
    expect(decideContactSend([], [NOW - HOUR, NOW - 1000], policy(20, 2), NOW)).toEqual({ kind: "allowed" });
  });
});

describe("mayGuess", () => {
  const code = (attempts: number, expiresAt = NOW + 1, captcha = false) => ({ attempts, expiresAt, captcha });

  it(`allows ${MAX_ATTEMPTS} evaluated guesses while the code is live`, () => {
    expect(mayGuess(code(0), [], policy(), NOW)).toBe("evaluate");
    expect(mayGuess(code(MAX_ATTEMPTS - 1), [], policy(), NOW)).toBe("evaluate");
    expect(mayGuess(code(MAX_ATTEMPTS), [], policy(), NOW)).toBe("used_up");
  });

  it("refuses any guess from the moment the code expires", () => {
    expect(mayGuess(code(0, NOW), [], policy(), NOW)).toBe("used_up");
  });

  it("with the wrong-code budget spent, only a code sent with a captcha may be guessed", () => {
    const wrong = [NOW - 2000, NOW - 1000];
    expect(wrongCodeBudgetSpent(wrong, policy(20, 2), NOW)).toBe(true);
    expect(mayGuess(code(0), wrong, policy(20, 2), NOW)).toBe("new_code_needed");
    expect(mayGuess(code(0, NOW + 1, true), wrong, policy(20, 2), NOW)).toBe("evaluate");
    expect(mayGuess(code(MAX_ATTEMPTS, NOW + 1, true), wrong, policy(20, 2), NOW)).toBe("used_up");
  });
});

describe("ipSendRule", () => {
  it("is SENDS_PER_IP_PER_HOUR in an hour's window", () => {
    expect(ipSendRule(30)).toEqual({ limit: 30, windowMs: 3_600_000 });
  });
});
