import { afterEach, describe, expect, it, vi } from "vitest";
import { result } from "./helpers";
import { codeLines, consoleLog, sendCode, uniqueEmail, uniquePhone } from "./verification-helpers";

afterEach(() => vi.restoreAllMocks());

/** The auth events written so far, parsed. */
const authEvents = () =>
  consoleLog()
    .mock.calls.map((args) => String(args[0]))
    .filter((line) => line.includes('"type":"auth"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("the global daily send budget per channel (SENDS_PER_DAY)", () => {
  it("refuses sends on a channel past its budget with 429, logs sends.budget_reached once, and leaves the other channel alone", async () => {
    consoleLog();
    const vars = { SENDS_PER_DAY: "2" };
    // Sends that go nowhere (target misses) take nothing from the budget.
    expect((await sendCode({ phone_number: uniquePhone(), target: "USER" }, { vars })).status).toBe(404);
    expect((await sendCode({ phone_number: uniquePhone() }, { vars })).status).toBe(200);
    expect(authEvents().filter((event) => event.event === "sends.budget_reached")).toEqual([]);
    expect((await sendCode({ phone_number: uniquePhone() }, { vars })).status).toBe(200);
    expect(authEvents().filter((event) => event.event === "sends.budget_reached")).toEqual([
      expect.objectContaining({ type: "auth", event: "sends.budget_reached", channel: "sms", limit: 2 }),
    ]);

    const phone = uniquePhone();
    const refused = await sendCode({ phone_number: phone }, { vars });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(86_000);
    expect(await result(refused)).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded", error_code: 4029 } });
    expect(codeLines().filter((line) => line.to === phone)).toEqual([]);
    expect(authEvents().filter((event) => event.event === "sends.budget_reached")).toHaveLength(1);

    expect((await sendCode({ email: uniqueEmail() }, { vars })).status).toBe(200);
    // A higher budget lets the same day's window go on.
    expect((await sendCode({ phone_number: phone }, { vars: { SENDS_PER_DAY: "3" } })).status).toBe(200);
  });

  it("counts the email budget after the answer while it has room, and still stops at exactly the budget", async () => {
    consoleLog();
    // With 14 left the sends go out before they are counted; from HEADROOM (10) left on, each is
    // counted before it goes out, so a sequence of sends ends at exactly the budget.
    const vars = { SENDS_PER_DAY: "15" };
    // The email window already holds the first test's sends: fill it up to the budget.
    let sent = 0;
    for (let i = 0; i < 20; i += 1) {
      const response = await sendCode({ email: uniqueEmail() }, { vars });
      if (response.status !== 200) {
        expect(await result(response)).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded" } });
        break;
      }
      sent += 1;
    }
    // The first test's one email send, then exactly the rest of the 15.
    expect(sent).toBe(14);
    expect(authEvents().filter((event) => event.event === "sends.budget_reached" && event.channel === "email")).toHaveLength(1);
    // Known spent in this isolate: refused at once, with the window's end.
    const refused = await sendCode({ email: uniqueEmail() }, { vars });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(86_000);
  });
});
