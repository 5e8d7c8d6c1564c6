import { describe, expect, it } from "vitest";
import { callWith, result, uniqueName } from "./helpers";
import { consoleLog, sendCode, uniquePhone } from "./verification-helpers";

const hex = () => Array.from(crypto.getRandomValues(new Uint16Array(2)), (n) => n.toString(16)).join(":");
/** A /64 no other test uses, as its first four groups. */
const uniquePrefix = () => `2001:db8:${hex()}`;

const wrongSignin = (vars: Record<string, string>, ip: string) =>
  callWith(vars, "POST", "/auth/v1/signin", {
    body: { username: uniqueName("spray"), password: "guess" },
    headers: { "cf-connecting-ip": ip },
  });

describe("per-IP limits key IPv6 clients by their /64", () => {
  const vars = { IP_FAILURES_PER_HOUR: "3" };

  it("counts password failures from every address of one /64 together, written in any form", async () => {
    const prefix = uniquePrefix();
    const [a, b, c] = [`${prefix}::1`, `${prefix}:0:0:0:2`, `${prefix.toUpperCase()}:ffff:ffff:ffff:ffff`];
    for (const ip of [a, b, c]) expect((await wrongSignin(vars, ip)).status).toBe(400);
    const limited = await result(await wrongSignin(vars, `${prefix}:1234::5678`));
    expect(limited).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded" } });
    // The neighbouring /64 has its own window.
    const neighbour = `${prefix.replace(/[0-9a-f]+$/, (last) => ((parseInt(last, 16) + 1) % 0x10000).toString(16))}::1`;
    expect((await wrongSignin(vars, neighbour)).status).toBe(400);
  });

  it("keeps IPv4 addresses apart, and an IPv4-mapped IPv6 address is its IPv4 address", async () => {
    const base = `198.18.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 3; i++) expect((await wrongSignin(vars, `${base}.${i + 1}`)).status).toBe(400);
    expect((await wrongSignin(vars, `${base}.9`)).status).toBe(400);
    for (let i = 0; i < 2; i++) expect((await wrongSignin(vars, `${base}.9`)).status).toBe(400);
    expect((await wrongSignin(vars, `::ffff:${base}.9`)).status).toBe(429);
  });

  it("IP_V6_PREFIX_LENGTH sets the prefix: at 128 every address has its own window", async () => {
    const prefix = uniquePrefix();
    const exact = { ...vars, IP_V6_PREFIX_LENGTH: "128" };
    for (let i = 0; i < 3; i++) expect((await wrongSignin(exact, `${prefix}::${i + 1}`)).status).toBe(400);
    expect((await wrongSignin(exact, `${prefix}::9`)).status).toBe(400);
  });

  it("answers 500 naming the variable for a prefix length outside 1..128, and counts nothing", async () => {
    const response = await wrongSignin({ ...vars, IP_V6_PREFIX_LENGTH: "129" }, `${uniquePrefix()}::1`);
    expect(await result(response)).toMatchObject({ status: 500, body: { error: "internal" } });
  });

  it("counts code sends from every address of one /64 against one send budget", async () => {
    consoleLog();
    const prefix = uniquePrefix();
    const sendVars = { SENDS_PER_IP_PER_HOUR: "2" };
    expect((await sendCode({ phone_number: uniquePhone() }, { ip: `${prefix}::1`, vars: sendVars })).status).toBe(200);
    expect((await sendCode({ phone_number: uniquePhone() }, { ip: `${prefix}::2`, vars: sendVars })).status).toBe(200);
    const third = await result(await sendCode({ phone_number: uniquePhone() }, { ip: `${prefix}:abcd::3`, vars: sendVars }));
    expect(third).toMatchObject({ status: 400, body: { error: "captcha_required" } });
  });

  it("counts guests made from every address of one /64 against one budget", async () => {
    const prefix = uniquePrefix();
    const guestVars = { ANONYMOUS_SIGNIN: "true", ANONYMOUS_SIGNINS_PER_IP_PER_HOUR: "2" };
    const guest = (ip: string) => callWith(guestVars, "POST", "/auth/v1/signin/anonymously", { body: {}, headers: { "cf-connecting-ip": ip } });
    expect((await guest(`${prefix}::1`)).status).toBe(200);
    expect((await guest(`${prefix}::2`)).status).toBe(200);
    expect(await result(await guest(`${prefix}:ffff::3`))).toMatchObject({ status: 429, body: { error: "rate_limit_exceeded" } });
    expect((await guest(`${uniquePrefix()}::1`)).status).toBe(200);
  });
});
