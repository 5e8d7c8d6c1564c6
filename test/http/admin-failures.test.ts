// Failed admin authentications are limited per client IP (ADMIN_FAILURES_PER_IP_PER_HOUR, default
// 10; src/auth/admin-authentication.ts). Past the limit every call from the IP is 429, whatever its token.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, call, callWith, result } from "./helpers";
import { uniqueIp } from "./verification-helpers";

afterEach(() => vi.restoreAllMocks());

const SETTINGS = "/auth/v1/admin/settings";
const fromIp = (ip: string, authorization?: string) =>
  call("GET", SETTINGS, { headers: { "cf-connecting-ip": ip, ...(authorization ? { authorization } : {}) } });
const WRONG = "Bearer wrong-admin-token";
const RIGHT = `Bearer ${ADMIN_TOKEN}`;
const denied = { status: 403, body: { error: "permission_denied", error_code: 4031 } };
const limited = { status: 429, body: { error: "rate_limit_exceeded", error_code: 4029 } };

async function expectLimited(response: Response): Promise<void> {
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(await result(response)).toMatchObject(limited);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(3600);
}

describe("failed admin calls per IP", () => {
  it("answers the 11th bad token 429 with Retry-After, and then the right token too; other IPs are unaffected", async () => {
    const [ip, other] = [uniqueIp(), uniqueIp()];
    for (let i = 0; i < 10; i++) expect(await result(await fromIp(ip, WRONG))).toMatchObject(denied);
    await expectLimited(await fromIp(ip, WRONG));
    await expectLimited(await fromIp(ip, RIGHT));
    expect((await fromIp(other, RIGHT)).status).toBe(200);
    expect(await result(await fromIp(other, WRONG))).toMatchObject(denied);
  });

  it("counts a call without Authorization (or with another scheme) as a failure", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect(await result(await fromIp(ip))).toMatchObject(denied);
    for (let i = 0; i < 5; i++) expect(await result(await fromIp(ip, "Basic dGVzdA=="))).toMatchObject(denied);
    await expectLimited(await fromIp(ip));
  });

  it("lets the right token through without counting it", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 9; i++) expect((await fromIp(ip, WRONG)).status).toBe(403);
    // Parallel right calls hold no slot and count nothing.
    const rights = await Promise.all(Array.from({ length: 30 }, () => fromIp(ip, RIGHT)));
    expect(rights.map((response) => response.status)).toEqual(Array(30).fill(200));
    expect((await fromIp(ip, WRONG)).status).toBe(403);
    await expectLimited(await fromIp(ip, WRONG));
  });

  it("evaluates at most the limit of 30 parallel bad calls; the rest are 429", async () => {
    const ip = uniqueIp();
    const answers = await Promise.all(Array.from({ length: 30 }, () => fromIp(ip, WRONG).then(result)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 403)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    await expectLimited(await fromIp(ip, RIGHT));
  });

  it("counts an IPv6 client by its /64", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 0; i < 10; i++) expect((await fromIp(`${prefix}::${i + 1}`, WRONG)).status).toBe(403);
    await expectLimited(await fromIp(`${prefix}:ffff::1`, RIGHT));
  });

  it("follows ADMIN_FAILURES_PER_IP_PER_HOUR", async () => {
    const ip = uniqueIp();
    const vars = { ADMIN_FAILURES_PER_IP_PER_HOUR: "2" };
    const headers = { "cf-connecting-ip": ip, authorization: WRONG };
    for (let i = 0; i < 2; i++) expect((await callWith(vars, "GET", SETTINGS, { headers })).status).toBe(403);
    await expectLimited(await callWith(vars, "GET", SETTINGS, { headers }));
  });

  it("fails closed with 503 unavailable when the window cannot be reached", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = {
      idFromName: () => ({}),
      get: () => ({
        check: () => Promise.reject(new Error("Durable Object reset because its code was updated")),
        consume: () => Promise.reject(new Error("Durable Object reset because its code was updated")),
      }),
    };
    for (const authorization of [RIGHT, WRONG]) {
      const response = await callWith({ RATE_WINDOWS: broken }, "GET", SETTINGS, { headers: { "cf-connecting-ip": uniqueIp(), authorization } });
      expect(await result(response)).toMatchObject({ status: 503, body: { error: "unavailable", error_code: 5030 } });
    }
  });
});
