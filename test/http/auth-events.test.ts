import { afterEach, describe, expect, it, vi } from "vitest";
import { callWith, createUser, signin, uniqueName } from "./helpers";

function captureAuthEvents(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => {
    const parsed = JSON.parse(String(line)) as Record<string, unknown>;
    if (parsed.type === "auth") events.push(parsed);
  });
  return events;
}

describe("auth events", () => {
  afterEach(() => vi.restoreAllMocks());

  it("records a success with the sub and a failure with the reason and a pseudonymous account", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "event-pass" });
    const events = captureAuthEvents();
    await signin({ username, password: "event-pass" }, { headers: { "x-request-id": "ev-1" } });
    await signin({ username, password: "wrong-pass" }, { headers: { "x-request-id": "ev-2" } });
    expect(events).toEqual([
      { type: "auth", request_id: "ev-1", event: "signin.succeeded", method: "password", sub: user.sub },
      {
        type: "auth",
        request_id: "ev-2",
        event: "signin.failed",
        method: "password",
        reason: "invalid_username_or_password",
        account: expect.stringMatching(/^h:[0-9a-f]{16}$/),
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(username);
    expect(JSON.stringify(events)).not.toMatch(/event-pass|wrong-pass/);
  });

  it("records the lock with its length", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "pw-long-enough" });
    const vars = { CAPTCHA_AFTER_FAILURES: "2", LOCK_AFTER_FAILURES: "2", LOCK_SECONDS: "60" };
    const events = captureAuthEvents();
    for (let i = 0; i < 2; i++) await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "wrong" } });
    expect(events.filter((e) => e.event === "account.locked")).toEqual([
      { type: "auth", request_id: expect.any(String), event: "account.locked", account: user.sub, lock_seconds: 60 },
    ]);
  });
});
