// Racing sends against the service's daily budget of a channel (src/auth/channel-budget.ts): while
// the budget has room, sends are counted after the answer, but an isolate lets at most
// IN_FLIGHT_CREDIT of them out uncounted, so a burst cannot spend much past the budget.
import { describe, expect, it } from "vitest";
import { IN_FLIGHT_CREDIT } from "../../src/auth/channel-budget";
import { result } from "./helpers";
import { consoleLog, sendCode, uniquePhone } from "./verification-helpers";

describe("a burst of sends against SENDS_PER_DAY", () => {
  it("overshoots the budget by at most IN_FLIGHT_CREDIT, and the budget is then spent", async () => {
    consoleLog();
    const vars = { SENDS_PER_DAY: "30" };
    // One send first, so this isolate holds a fresh verdict with room: the burst starts in the
    // counted-after mode.
    expect((await sendCode({ phone_number: uniquePhone() }, { vars })).status).toBe(200);
    const burst = await Promise.all(Array.from({ length: 80 }, () => sendCode({ phone_number: uniquePhone() }, { vars })));
    const statuses = burst.map((response) => response.status);
    const sent = 1 + statuses.filter((status) => status === 200).length;
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    expect(sent).toBeGreaterThanOrEqual(30);
    expect(sent).toBeLessThanOrEqual(30 + IN_FLIGHT_CREDIT);
    expect(await result(await sendCode({ phone_number: uniquePhone() }, { vars }))).toMatchObject({
      status: 429,
      body: { error: "rate_limit_exceeded" },
    });
  });
});
