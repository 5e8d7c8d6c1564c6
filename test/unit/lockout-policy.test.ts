import { describe, expect, it } from "vitest";
import type { LockoutPolicy } from "../../src/config";
import {
  admit,
  EMPTY_STATE,
  expireReservations,
  expiresAt,
  lockSeconds,
  MAX_LOCK_SECONDS,
  RESERVATION_TTL_MS,
  settle,
  type GuardState,
  type Settlement,
} from "../../src/lockout/policy";

const policy: LockoutPolicy = { captchaAfterFailures: 3, lockAfterFailures: 10, lockSeconds: 900, failureWindowSeconds: 86_400 };
const T0 = 1_700_000_000_000;

/** Admits and settles one attempt at `now`; returns the admission kind and the new state. */
function run(state: GuardState, now: number, outcome: Settlement, captcha = false) {
  const admission = admit(state, captcha ? "passed" : "none", `r${now}`, now, policy);
  if (admission.kind !== "admitted") return { kind: admission.kind, admission, state };
  return { kind: admission.kind, admission, state: settle(admission.state, admission.reservationId, outcome, now, policy) };
}

function failures(count: number, start = T0, captcha = true): GuardState {
  let state = EMPTY_STATE;
  for (let i = 0; i < count; i++) state = run(state, start + i, "failure", captcha).state;
  return state;
}

describe("admission", () => {
  it("admits without captcha below the captcha threshold", () => {
    for (let n = 0; n < 3; n++) {
      const admission = admit(failures(n), "none", "r", T0 + 100, policy);
      expect(admission).toMatchObject({ kind: "admitted" });
    }
  });

  it("requires a captcha from the threshold on, and admits with one", () => {
    for (let n = 3; n < 10; n++) {
      expect(admit(failures(n), "none", "r", T0 + 100, policy)).toEqual({ kind: "captcha_required" });
      expect(admit(failures(n), "passed", "r", T0 + 100, policy)).toMatchObject({ kind: "admitted" });
    }
  });

  it("counts unsettled reservations as failures", () => {
    let state = EMPTY_STATE;
    for (let i = 0; i < 3; i++) {
      const admission = admit(state, "none", `r${i}`, T0, policy);
      expect(admission.kind).toBe("admitted");
      if (admission.kind === "admitted") state = admission.state;
    }
    expect(admit(state, "none", "r4", T0, policy)).toEqual({ kind: "captcha_required" });
  });

  it("counts reservations never settled within their TTL as failures (an abandoned attempt is not free)", () => {
    let state = EMPTY_STATE;
    for (let i = 0; i < 3; i++) {
      const admission = admit(state, "none", `r${i}`, T0, policy);
      if (admission.kind === "admitted") state = admission.state;
    }
    const later = T0 + RESERVATION_TTL_MS + 1;
    expect(admit(state, "none", "late", later, policy)).toEqual({ kind: "captcha_required" });
    expect(expireReservations(state, later, policy)).toMatchObject({ failures: [T0 + RESERVATION_TTL_MS, T0 + RESERVATION_TTL_MS, T0 + RESERVATION_TTL_MS], reservations: [] });
  });

  it("asks for the captcha to be checked before reserving anything when a token is presented", () => {
    const state = failures(3);
    expect(admit(state, "unchecked", "r", T0 + 100, policy)).toEqual({ kind: "captcha_check" });
    expect(admit(state, "passed", "r", T0 + 100, policy)).toMatchObject({ kind: "admitted" });
  });

  it("never answers an infinite Retry-After, also when more failures arrived than the threshold (lost reservations)", () => {
    // An object restart loses in-memory reservations; their late settles still count as failures.
    let state = failures(10);
    for (let i = 0; i < 5; i++) state = settle(state, `lost${i}`, "failure", T0 + 1_000 + i, policy);
    const afterLock = state.lockedUntil + 1;
    const admission = admit(state, "passed", "r", afterLock, policy);
    expect(admission.kind).toBe("admitted");
    // Failures settled during the lock do not count towards the next one.
    if (admission.kind === "admitted") {
      const next = settle(admission.state, "r", "failure", afterLock, policy);
      expect(next.lockedUntil).toBe(state.lockedUntil);
    }
    for (const at of [T0 + 10, state.lockedUntil - 1]) {
      const locked = admit(state, "passed", "x", at, policy);
      expect(locked.kind === "locked" && Number.isFinite(locked.retryAfterSeconds)).toBe(true);
    }
  });

  it("holds back attempts that could overshoot the lock while outcomes are pending", () => {
    let state = failures(9);
    const first = admit(state, "passed", "a", T0 + 100, policy);
    expect(first.kind).toBe("admitted");
    if (first.kind === "admitted") state = first.state;
    expect(admit(state, "passed", "b", T0 + 100, policy)).toEqual({ kind: "locked", retryAfterSeconds: RESERVATION_TTL_MS / 1000 });
  });
});

describe("locking", () => {
  it("locks at the 10th failure for LOCK_SECONDS", () => {
    const state = failures(10);
    expect(state.lockedUntil).toBe(T0 + 9 + 900_000);
    expect(admit(state, "passed", "r", T0 + 10, policy)).toEqual({ kind: "locked", retryAfterSeconds: 900 });
  });

  it("is not extended or counted by attempts during the lock", () => {
    const state = failures(10);
    const during = run(state, T0 + 60_000, "failure", true);
    expect(during.kind).toBe("locked");
    expect(during.state).toBe(state);
    expect(admit(state, "passed", "r", T0 + 600_009, policy)).toEqual({ kind: "locked", retryAfterSeconds: 300 });
  });

  it("ends after LOCK_SECONDS, still wants a captcha, and doubles the next lock", () => {
    let state = failures(10);
    const afterLock = T0 + 900_010;
    expect(admit(state, "none", "r", afterLock, policy)).toEqual({ kind: "captcha_required" });
    for (let i = 0; i < 10; i++) state = run(state, afterLock + i, "failure", true).state;
    expect(state.lockedUntil).toBe(afterLock + 9 + 1_800_000);
  });

  it("doubles up to a day at most", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => lockSeconds(n, policy))).toEqual([
      900, 1800, 3600, 7200, 14_400, 28_800, 57_600, MAX_LOCK_SECONDS,
    ]);
  });

  it("forgets failures and locks older than the window", () => {
    const state = failures(9);
    const dayLater = T0 + 86_400_000 + 10;
    expect(admit(state, "none", "r", dayLater, policy)).toMatchObject({ kind: "admitted" });
    const locked = failures(10);
    const next = failures(10, locked.lockedUntil + 86_400_000);
    expect(next.lockedUntil - (locked.lockedUntil + 86_400_000 + 9)).toBe(900_000);
  });
});

describe("settling", () => {
  it("forgets everything on success", () => {
    const state = run(failures(5), T0 + 100, "success", true).state;
    expect(state).toEqual(EMPTY_STATE);
  });

  it("releases without counting on a neutral outcome", () => {
    const state = run(failures(2), T0 + 100, "neutral").state;
    expect(state.failures).toHaveLength(2);
    expect(state.reservations).toEqual([]);
  });

  it("still counts a failure whose reservation already expired", () => {
    const state = settle(EMPTY_STATE, "gone", "failure", T0, policy);
    expect(state.failures).toEqual([T0]);
  });
});

describe("cleanup time", () => {
  it("is the last moment anything in the state matters", () => {
    expect(expiresAt(EMPTY_STATE, policy)).toBeUndefined();
    expect(expiresAt(failures(2), policy)).toBe(T0 + 1 + 86_400_000);
  });
});
