import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captchaToken } from "./captcha-helpers";
import { admin, call, callWith, createUser, result, signin, uniqueName } from "./helpers";

type Answer = { status: number; error: unknown; retryAfter: string | null };

async function attempt(username: string, password: string, captcha?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const path = captcha ? `/auth/v1/signin?captcha_token=${captcha}` : "/auth/v1/signin";
  const response = await call("POST", path, { body: { username, password }, headers });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error ?? null, retryAfter: response.headers.get("retry-after") };
}

const WRONG = { status: 400, error: "invalid_username_or_password", retryAfter: null };
const CAPTCHA_REQUIRED = { status: 400, error: "captcha_required", retryAfter: null };

/** Runs the full sequence of docs/protocol.md §2 against one identifier and returns every answer. */
async function fullSequence(username: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < 3; i++) answers.push(await attempt(username, "wrong"));
  answers.push(await attempt(username, "wrong")); // 4th without captcha
  answers.push(await attempt(username, "wrong", "not-a-real-token")); // invalid captcha
  for (let i = 0; i < 7; i++) answers.push(await attempt(username, "wrong", await captchaToken())); // failures 4..10
  answers.push(await attempt(username, "wrong", await captchaToken())); // locked
  return answers;
}

describe("lockout sequence", () => {
  it("escalates to captcha after 3 failures and locks at the 10th, for a real user", async () => {
    const username = uniqueName();
    await createUser({ username, password: "right-password" });
    const answers = await fullSequence(username);
    expect(answers.slice(0, 3)).toEqual([WRONG, WRONG, WRONG]);
    expect(answers[3]).toEqual(CAPTCHA_REQUIRED);
    expect(answers[4]).toEqual({ status: 400, error: "captcha_invalid", retryAfter: null });
    expect(answers.slice(5, 12)).toEqual(Array(7).fill(WRONG));
    expect(answers[12]).toEqual({ status: 400, error: "invalid_status", retryAfter: "900" });
    // Even the right password is not checked while locked.
    const locked = await attempt(username, "right-password", await captchaToken());
    expect(locked).toMatchObject({ status: 400, error: "invalid_status" });
  });

  it("gives an unknown username the same answers at the same attempt numbers", async () => {
    const known = uniqueName();
    await createUser({ username: known, password: "right-password" });
    const [knownAnswers, unknownAnswers] = [await fullSequence(known), await fullSequence(uniqueName("ghost"))];
    expect(unknownAnswers).toEqual(knownAnswers);
  });

  it("counts username, phone and email of one user on one key", async () => {
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough", phone_number: "+86 13700001111", email: `${username}@example.com` });
    expect(await attempt(username, "wrong")).toEqual(WRONG);
    expect(await attempt("+86 13700001111", "wrong")).toEqual(WRONG);
    expect(await attempt(`${username}@example.com`, "wrong")).toEqual(WRONG);
    expect(await attempt("+8613700001111", "wrong")).toEqual(CAPTCHA_REQUIRED);
  });

  it("does not count captcha_required, captcha_invalid, password_not_set or malformed requests", async () => {
    const username = uniqueName();
    await createUser({ username });
    for (let i = 0; i < 5; i++) {
      expect((await attempt(username, "anything")).error).toBe("password_not_set");
      await call("POST", "/auth/v1/signin", { body: { username, password: 7 } });
    }
    const other = uniqueName();
    await createUser({ username: other, password: "pw-long-enough" });
    for (let i = 0; i < 3; i++) await attempt(other, "wrong");
    for (let i = 0; i < 4; i++) {
      expect((await attempt(other, "wrong")).error).toBe("captcha_required");
      expect((await attempt(other, "wrong", "bogus")).error).toBe("captcha_invalid");
    }
    // Still only 3 failures: 7 more captcha'd failures are needed to lock.
    for (let i = 0; i < 6; i++) expect(await attempt(other, "wrong", await captchaToken())).toEqual(WRONG);
    expect((await attempt(other, "pw-long-enough", await captchaToken())).status).toBe(200);
  });

  it("ignores a captcha token when none is needed, and does not spend it", async () => {
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    const token = await captchaToken();
    expect((await attempt(username, "pw-long-enough", token)).status).toBe(200);
    for (let i = 0; i < 3; i++) await attempt(username, "wrong");
    expect(await attempt(username, "wrong", token)).toEqual(WRONG); // the same token still works once
    expect((await attempt(username, "wrong", token)).error).toBe("captcha_invalid");
  });

  it("accepts the captcha token in the x-captcha-token header; an empty one is none", async () => {
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    for (let i = 0; i < 3; i++) await attempt(username, "wrong");
    expect((await attempt(username, "wrong", undefined, { "x-captcha-token": "" })).error).toBe("captcha_required");
    expect(await attempt(username, "wrong", undefined, { "x-captcha-token": await captchaToken() })).toEqual(WRONG);
  });

  it("forgets failures after a success", async () => {
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    for (let i = 0; i < 2; i++) await attempt(username, "wrong");
    expect((await attempt(username, "pw-long-enough")).status).toBe(200);
    for (let i = 0; i < 3; i++) expect(await attempt(username, "wrong")).toEqual(WRONG);
    expect(await attempt(username, "wrong")).toEqual(CAPTCHA_REQUIRED);
  });
});

describe("lock", () => {
  afterEach(() => vi.useRealTimers());

  const lockVars = { CAPTCHA_AFTER_FAILURES: "2", LOCK_AFTER_FAILURES: "2", LOCK_SECONDS: "60" };
  const attemptWith = async (vars: Record<string, string>, username: string, password: string, captcha?: string) => {
    const path = captcha ? `/auth/v1/signin?captcha_token=${captcha}` : "/auth/v1/signin";
    const response = await callWith(vars, "POST", path, { body: { username, password } });
    return { status: response.status, error: ((await response.json()) as { error?: string }).error ?? null, retryAfter: response.headers.get("retry-after") };
  };

  it("is not extended by attempts during the lock, ends on its own, and doubles the next time", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    await attemptWith(lockVars, username, "wrong");
    expect(await attemptWith(lockVars, username, "wrong")).toEqual(WRONG);
    expect(await attemptWith(lockVars, username, "pw-long-enough")).toEqual({ status: 400, error: "invalid_status", retryAfter: "60" });

    vi.setSystemTime(start + 30_000);
    expect(await attemptWith(lockVars, username, "wrong")).toMatchObject({ error: "invalid_status", retryAfter: "30" });
    vi.setSystemTime(start + 50_000);
    expect(await attemptWith(lockVars, username, "wrong")).toMatchObject({ error: "invalid_status", retryAfter: "10" });

    // After the lock the captcha is still required (failures stay in the window).
    vi.setSystemTime(start + 61_000);
    expect((await attemptWith(lockVars, username, "wrong")).error).toBe("captcha_required");
  });

  it("doubles a second lock within the failure window", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    await attemptWith(lockVars, username, "wrong");
    await attemptWith(lockVars, username, "wrong");
    expect((await attemptWith(lockVars, username, "pw-long-enough")).retryAfter).toBe("60");
    vi.setSystemTime(start + 61_000);
    expect(await attemptWith(lockVars, username, "wrong", await captchaToken())).toEqual(WRONG);
    expect(await attemptWith(lockVars, username, "wrong", await captchaToken())).toEqual(WRONG);
    expect((await attemptWith(lockVars, username, "pw-long-enough", await captchaToken())).retryAfter).toBe("120");
  });

  it("is cleared by an admin", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "pw-long-enough" });
    await attemptWith(lockVars, username, "wrong");
    await attemptWith(lockVars, username, "wrong");
    expect((await attemptWith(lockVars, username, "pw-long-enough")).error).toBe("invalid_status");
    expect((await admin("DELETE", `/auth/v1/admin/users/${user.sub}/lockout`)).status).toBe(204);
    expect((await attemptWith(lockVars, username, "pw-long-enough")).status).toBe(200);
  });

  it("answers an admin unlock of an unknown user with user_not_found", async () => {
    expect(await result(await admin("DELETE", "/auth/v1/admin/users/1234567890123456789/lockout"))).toMatchObject({
      status: 404,
      body: { error: "user_not_found" },
    });
  });

  it("leaves its state to be deleted by the alarm", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "pw-long-enough" });
    await attempt(username, "wrong");
    const stub = env.ACCOUNT_GUARD.get(env.ACCOUNT_GUARD.idFromName(`user:${user.sub}`));
    const { runInDurableObject, runDurableObjectAlarm } = await import("cloudflare:test");
    expect(await runInDurableObject(stub, async (_instance, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 86_401_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    vi.useRealTimers();
    expect(await runInDurableObject(stub, async (_instance, state) => state.storage.get("state"))).toBeUndefined();
  });
});

describe("per-IP limit", () => {
  const vars = { IP_FAILURES_PER_HOUR: "3" };
  const fromIp = (ip: string, extra: Record<string, string> = {}) => ({ "cf-connecting-ip": ip, ...extra });

  it("answers 429 with Retry-After after IP_FAILURES_PER_HOUR failures over any usernames", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < 3; i++) {
      const response = await callWith(vars, "POST", "/auth/v1/signin", {
        body: { username: uniqueName("spray"), password: "guess" },
        headers: fromIp(ip),
      });
      expect(response.status).toBe(400);
    }
    const limited = await callWith(vars, "POST", "/auth/v1/signin", {
      body: { username: uniqueName("spray"), password: "guess" },
      headers: fromIp(ip, { "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.2", "true-client-ip": "198.51.100.3" }),
    });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(3500);
    expect(await result(limited)).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded", error_code: 4029 } });

    const otherIp = await callWith(vars, "POST", "/auth/v1/signin", {
      body: { username: uniqueName("spray"), password: "guess" },
      headers: fromIp("203.0.113.8", { "x-forwarded-for": ip }),
    });
    expect(otherIp.status).toBe(400);
  });

  it("counts password_not_set against the IP: probing passwordless accounts is limited like guessing", async () => {
    const ip = "203.0.113.10";
    const username = uniqueName();
    await createUser({ username });
    for (let i = 0; i < 3; i++) {
      const response = await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "guess" }, headers: fromIp(ip) });
      expect(await result(response)).toMatchObject({ status: 400, body: { error: "password_not_set" } });
    }
    const limited = await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "guess" }, headers: fromIp(ip) });
    expect(await result(limited)).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded" } });
  });

  it("counts only evaluated failures, not successes or malformed requests", async () => {
    const ip = "203.0.113.9";
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    for (let i = 0; i < 5; i++) {
      await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "pw-long-enough" }, headers: fromIp(ip) });
      await callWith(vars, "POST", "/auth/v1/signin", { body: { username: "_bad" }, headers: fromIp(ip) });
    }
    const response = await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "pw-long-enough" }, headers: fromIp(ip) });
    expect(response.status).toBe(200);
  });
});

describe("turnstile", () => {
  afterEach(() => vi.restoreAllMocks());
  const vars = {
    CAPTCHA_PROVIDER: "turnstile",
    TURNSTILE_SECRET: "turnstile-secret",
    TURNSTILE_SITEVERIFY_URL: "https://siteverify.test/siteverify",
    TURNSTILE_HOSTNAMES: "app.example",
  };

  async function lockedIntoCaptcha(): Promise<string> {
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    for (let i = 0; i < 3; i++) await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "wrong" } });
    return username;
  }

  it("checks the token at siteverify with secret, remoteip and an idempotency key", async () => {
    const username = await lockedIntoCaptcha();
    const seen: Record<string, unknown>[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      if (String(input) !== vars.TURNSTILE_SITEVERIFY_URL) return realFetch(input, init);
      seen.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return Response.json({ success: true, hostname: "app.example", action: "signin" });
    });
    const response = await callWith(vars, "POST", "/auth/v1/signin?captcha_token=widget-token_1", {
      body: { username, password: "pw-long-enough" },
      headers: { "cf-connecting-ip": "198.51.100.20" },
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([
      { secret: "turnstile-secret", response: "widget-token_1", remoteip: "198.51.100.20", idempotency_key: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
  });

  it.each([
    ["success: false", async () => Response.json({ success: false, "error-codes": ["invalid-input-response"] })],
    ["a 500", async () => new Response("oops", { status: 500 })],
    ["a network error", async () => { throw new TypeError("network down"); }],
    ["a non-JSON answer", async () => new Response("<html>")],
  ])("fails closed as captcha_invalid on %s", async (_label, answer) => {
    const username = await lockedIntoCaptcha();
    vi.spyOn(globalThis, "fetch").mockImplementation(answer);
    const response = await callWith(vars, "POST", "/auth/v1/signin?captcha_token=widget-token", { body: { username, password: "pw-long-enough" } });
    expect(await result(response)).toMatchObject({ status: 400, body: { error: "captcha_invalid" } });
  });
});

describe("failing closed", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers 503 unavailable when the lockout Durable Object cannot be reached", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    const broken = {
      idFromName: () => ({}),
      get: () => ({
        admit: () => Promise.reject(new Error("Durable Object reset because its code was updated")),
      }),
    };
    const response = await callWith({ ACCOUNT_GUARD: broken }, "POST", "/auth/v1/signin", { body: { username, password: "pw-long-enough" } });
    const body = (await result(response)).body;
    expect(response.status).toBe(503);
    expect(body).toEqual({
      error: "unavailable",
      error_code: 5030,
      error_description: expect.any(String),
      request_id: response.headers.get("x-request-id"),
    });
  });

  it("answers 503 unavailable, naming nothing internal, when D1 fails", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
    const failing = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
    const statement = { bind: () => statement, first: failing, all: failing, run: failing, raw: failing };
    const brokenDb: Record<string, unknown> = { prepare: () => statement, batch: failing, exec: failing };
    brokenDb.withSession = () => brokenDb; // a replica read fails the same way
    const response = await callWith({ DB: brokenDb }, "POST", "/auth/v1/signin", {
      body: { username: uniqueName(), password: "pw-long-enough" },
      headers: { "cf-connecting-ip": "198.51.100.77" },
    });
    const body = (await result(response)).body;
    expect(response.status).toBe(503);
    expect(body).toMatchObject({ error: "unavailable", error_code: 5030, request_id: response.headers.get("x-request-id") });
    expect(JSON.stringify(body)).not.toContain("D1_ERROR");
    expect(errors.join("\n")).toContain('"kind":"unavailable"');
  });
});
