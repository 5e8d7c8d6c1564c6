// When a send counts against the service's daily budget of its channel (src/auth/channel-budget.ts).
import { describe, expect, it } from "vitest";
import { countingOf, HEADROOM, IN_FLIGHT_CREDIT, learned, VERDICT_FRESH_MS } from "../../src/auth/channel-budget";

const NOW = 1_800_000_000_000;

describe("counting a send against the channel's daily budget", () => {
  it("counts before the send when nothing fresh is known, or the limit changed", () => {
    expect(countingOf(undefined, 100, NOW, 0)).toBe("before");
    const known = learned({ allowed: true, count: 0, retryAfterSeconds: 0 }, 100, NOW);
    expect(countingOf(known, 100, NOW + VERDICT_FRESH_MS, 0)).toBe("before");
    expect(countingOf(known, 200, NOW, 0)).toBe("before");
  });

  it("counts after the answer while a fresh verdict leaves more than the headroom", () => {
    const known = learned({ allowed: true, count: 100 - HEADROOM - 2, retryAfterSeconds: 0 }, 100, NOW);
    expect(known).toMatchObject({ kind: "room", left: HEADROOM + 1 });
    expect(countingOf(known, 100, NOW + VERDICT_FRESH_MS - 1, 0)).toBe("after");
  });

  it("counts before the send close to the budget", () => {
    const known = learned({ allowed: true, count: 100 - HEADROOM - 1, retryAfterSeconds: 0 }, 100, NOW);
    expect(known).toMatchObject({ kind: "room", left: HEADROOM });
    expect(countingOf(known, 100, NOW, 0)).toBe("before");
  });

  it("refuses without asking while a budget seen spent has not reset, then asks again", () => {
    const known = learned({ allowed: false, count: 100, retryAfterSeconds: 3600 }, 100, NOW);
    expect(countingOf(known, 100, NOW + 3_599_999, 0)).toBe("refuse");
    expect(countingOf(known, 100, NOW + 3_600_000, 0)).toBe("before");
    // A higher budget set meanwhile is asked about at once.
    expect(countingOf(known, 150, NOW, 0)).toBe("before");
  });

  it("lets an isolate have at most IN_FLIGHT_CREDIT sends out uncounted, each taken from the room", () => {
    const known = learned({ allowed: true, count: 0, retryAfterSeconds: 0 }, 1000, NOW);
    expect(countingOf(known, 1000, NOW, IN_FLIGHT_CREDIT - 1)).toBe("after");
    expect(countingOf(known, 1000, NOW, IN_FLIGHT_CREDIT)).toBe("before");
    const close = learned({ allowed: true, count: 1000 - HEADROOM - 4, retryAfterSeconds: 0 }, 1000, NOW);
    expect(close).toMatchObject({ left: HEADROOM + 3 });
    expect(countingOf(close, 1000, NOW, 2)).toBe("after");
    expect(countingOf(close, 1000, NOW, 3)).toBe("before");
  });
});
