// The per-account Durable Object: sessions that end on their own, a sign-in overtaken by a change
// of credentials, reuse detection for a session's whole life, and the per-IP failure limit and the
// lockout under bursts and abandoned attempts.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prepareSession } from "../../src/auth/session-issuer";
import { configFor } from "../../src/config";
import { servicesFor } from "../../src/services";
import { captchaToken } from "./captcha-helpers";
import { admin, callWith, createUser, result, uniqueName } from "./helpers";
import { me, refresh, signedInUser } from "./sessions-helpers";

const DAY = 86_400_000;
const account = (sub: string) => env.ACCOUNT_GUARD.get(env.ACCOUNT_GUARD.idFromName(`user:${sub}`));

afterEach(() => vi.useRealTimers());

describe("sessions in the account object", () => {
  it("end at their max age: the alarm removes them with their refresh tokens", async () => {
    const { sub, tokens } = await signedInUser();
    const stub = account(sub);
    expect(await stub.sessionCount()).toBe(1);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 90 * DAY + 1000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.sessionCount()).toBe(0);
    expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("keep detecting reuse of a rotated-out token for the session's whole life, past the token's own expiry", async () => {
    const { tokens } = await signedInUser();
    const first = tokens.refresh_token;
    const second = ((await (await refresh(first)).json()) as { refresh_token: string }).refresh_token;
    const third = ((await (await refresh(second)).json()) as { refresh_token: string }).refresh_token;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31 * DAY); // past REFRESH_TOKEN_TTL_SECONDS (30 days), inside the 90-day session
    expect(await result(await refresh(first))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // That was reuse: the whole session ended, its newest token with it.
    expect(await result(await refresh(third))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await me(tokens.access_token)).status).toBe(401);
  });

  it("a sign-in overtaken by a password change opens nothing", async () => {
    const user = await createUser({ username: uniqueName(), password: "pw-long-enough" });
    const services = servicesFor(env);
    const policy = configFor(env).lockout;
    const stub = account(user.sub);
    const admission = await stub.admit(policy, "none");
    if (admission.kind !== "admitted") throw new Error(admission.kind);
    // The password (version 0) is being checked when an admin changes it.
    expect((await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { password: "changed password" })).status).toBe(200);
    const { session, tokens } = await prepareSession(services, user.sub);
    expect(await stub.completeSignin(policy, admission.reservationId, session, { version: 0, status: "ACTIVE" })).toMatchObject({ kind: "stale" });
    expect(await stub.sessionCount()).toBe(0);
    expect((await me((await tokens).access_token)).status).toBe(401);
  });
});

describe("per-IP failure limit under a burst", () => {
  it("evaluates at most IP_FAILURES_PER_HOUR of 120 concurrent wrong sign-ins from one IP", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const vars = { IP_FAILURES_PER_HOUR: "20" };
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        callWith(vars, "POST", "/auth/v1/signin", {
          body: { username: uniqueName(`burst${i}`), password: "wrong" },
          headers: { "cf-connecting-ip": ip },
        }).then(result),
      ),
    );
    const errors = answers.map((a) => a.body.error);
    expect(errors.filter((e) => e === "invalid_username_or_password")).toHaveLength(20);
    expect(errors.filter((e) => e === "rate_limit_exceeded")).toHaveLength(100);
  });
});

describe("a lock across an object restart", () => {
  it("keeps its end and a finite Retry-After; late settles of lost attempts neither extend it nor count towards the next", async () => {
    const vars = { CAPTCHA_AFTER_FAILURES: "2", LOCK_AFTER_FAILURES: "2", LOCK_SECONDS: "60" };
    const policy = configFor({ ...env, ...vars }).lockout;
    const username = uniqueName();
    const user = await createUser({ username, password: "pw-long-enough" });
    const attempt = async (password: string, captcha?: string) => {
      const path = captcha ? `/auth/v1/signin?captcha_token=${captcha}` : "/auth/v1/signin";
      const response = await callWith(vars, "POST", path, { body: { username, password } });
      return { error: (await result(response)).body.error, retryAfter: response.headers.get("retry-after") };
    };
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    await attempt("wrong");
    await attempt("wrong");
    expect(await attempt("pw-long-enough")).toEqual({ error: "invalid_status", retryAfter: "60" });
    // A restart drops what the object keeps in memory (its reservations, its cached state) ...
    await runInDurableObject(account(user.sub), (instance) => {
      Object.assign(instance, { reservations: [], lockout: undefined, stamp: undefined });
    });
    // ... and the settles of the attempts it had admitted arrive late, unknown to it.
    vi.setSystemTime(start + 10_000);
    for (let i = 0; i < 5; i++) await account(user.sub).settle(policy, `lost-${i}`, "failure");
    vi.setSystemTime(start + 30_000);
    expect(await attempt("pw-long-enough")).toEqual({ error: "invalid_status", retryAfter: "30" });
    vi.setSystemTime(start + 61_000);
    // The lock has ended; the failures settled during it do not count towards the next lock.
    expect(await attempt("wrong", await captchaToken())).toEqual({ error: "invalid_username_or_password", retryAfter: null });
    expect((await attempt("pw-long-enough", await captchaToken())).error).toBeUndefined();
  });
});

describe("abandoned attempts", () => {
  it("count as failures against the account and the IP once their reservations expire", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "pw-long-enough" });
    const policy = configFor(env).lockout;
    const rule = { limit: 100, windowMs: 3_600_000 };
    const ipKey = `ip-failures:203.0.113.${Math.floor(Math.random() * 200) + 20}`;
    const ipWindow = env.RATE_WINDOWS.get(env.RATE_WINDOWS.idFromName(ipKey));
    // Three attempts admitted (as the Worker admits them) whose settles never arrive.
    for (let i = 0; i < 3; i++) {
      expect((await account(user.sub).admit(policy, "none")).kind).toBe("admitted");
      expect((await ipWindow.reserve(rule)).allowed).toBe(true);
    }
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31_000);
    expect((await account(user.sub).inspect(policy)).failures).toHaveLength(3);
    expect((await ipWindow.check(rule)).count).toBe(3);
    const answer = await callWith({}, "POST", "/auth/v1/signin", { body: { username, password: "pw-long-enough" } }).then(result);
    expect(answer).toMatchObject({ status: 400, body: { error: "captcha_required" } });
  });

  it("a captcha token being checked (a slow siteverify) holds no reservation on the account", async () => {
    const vars = {
      CAPTCHA_PROVIDER: "turnstile",
      TURNSTILE_SECRET: "turnstile-secret",
      TURNSTILE_SITEVERIFY_URL: "https://siteverify.test/siteverify",
      TURNSTILE_HOSTNAMES: "app.example",
      CAPTCHA_AFTER_FAILURES: "1",
    };
    const policy = configFor({ ...env, ...vars }).lockout;
    const username = uniqueName();
    const user = await createUser({ username, password: "right password" });
    await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "wrong" } });
    let duringCheck: unknown;
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      if (String(input) !== vars.TURNSTILE_SITEVERIFY_URL) return realFetch(input, init);
      duringCheck = await account(user.sub).inspect(policy);
      return Response.json({ success: false });
    });
    const answer = await callWith(vars, "POST", "/auth/v1/signin?captcha_token=bogus-widget-token", { body: { username, password: "right password" } });
    expect((await result(answer)).body.error).toBe("captcha_invalid");
    expect(duringCheck).toMatchObject({ failures: [expect.any(Number)], reservations: [] });
    vi.restoreAllMocks();
  });

  it("a bogus captcha token holds no reservation while it is checked, and counts nothing", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "pw-long-enough" });
    const vars = { CAPTCHA_AFTER_FAILURES: "1", LOCK_AFTER_FAILURES: "3" };
    const wrong = await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "wrong" } }).then(result);
    expect(wrong.body.error).toBe("invalid_username_or_password");
    const bogus = await callWith(vars, "POST", "/auth/v1/signin?captcha_token=bogus-token", { body: { username, password: "pw-long-enough" } }).then(result);
    expect(bogus).toMatchObject({ status: 400, body: { error: "captcha_invalid" } });
    const state = await account(user.sub).inspect(configFor({ ...env, ...vars }).lockout);
    expect(state).toMatchObject({ failures: [expect.any(Number)], reservations: [] });
    const right = await callWith(vars, "POST", `/auth/v1/signin?captcha_token=${await captchaToken()}`, { body: { username, password: "pw-long-enough" } });
    expect(right.status).toBe(200);
  });
});

describe("a user blocked before the account objects existed", () => {
  it("is refused though its object has no stamp saying so: the current row's status counts", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "pw-long-enough" });
    // As migration 0006 leaves a user that was blocked before it: status in D1, version 0.
    await env.DB.prepare("UPDATE users SET status = 'BLOCKED' WHERE id = ?1").bind(user.sub).run();
    const answer = await callWith({}, "POST", "/auth/v1/signin", { body: { username, password: "pw-long-enough" } }).then(result);
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_status" } });
    expect(await account(user.sub).sessionCount()).toBe(0);
  });
});

describe("the stored lockout state", () => {
  it("keeps a field it does not know through a round trip in the object (a newer rule's state is never dropped)", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "right password" });
    const stub = account(user.sub);
    await callWith({}, "POST", "/auth/v1/signin", { body: { username, password: "wrong" } });
    await runInDurableObject(stub, async (instance, state) => {
      const stored = await state.storage.get<Record<string, unknown>>("state");
      await state.storage.put("state", { ...stored, newRule: { since: 1 } });
      Object.assign(instance, { lockout: undefined }); // as after a restart: read from storage
    });
    await callWith({}, "POST", "/auth/v1/signin", { body: { username, password: "wrong again" } });
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.get<Record<string, unknown>>("state"));
    expect(stored).toMatchObject({ newRule: { since: 1 }, failures: [expect.any(Number), expect.any(Number)] });
  });
});

describe("a change of credentials racing a delete", () => {
  it("leaves the account deleted", async () => {
    const user = await createUser({ username: uniqueName(), password: "right password" });
    const stub = account(user.sub);
    await stub.markDeleted();
    await stub.changeCredentials({ status: "ACTIVE" });
    expect((await stub.credentials()).status).toBe("DELETED");
  });
});
