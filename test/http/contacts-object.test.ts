// The contact's Durable Object as a dependency: an unreachable one fails closed, and its alarm
// deletes what no longer matters.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { callWith, createUser, result, signin } from "./helpers";
import { consoleLog, contactState, requestCode, sendCode, uniqueIp, uniquePhone, verifiedToken } from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const INTERNAL = "contact-object-internal-detail-7f3a";

/** The CONTACTS namespace with every object unreachable (ids still resolve). */
function unreachableContacts(): unknown {
  const real = env.CONTACTS;
  const down = () => Promise.reject(new Error(`Network connection lost (${INTERNAL})`));
  return {
    idFromName: (name: string) => real.idFromName(name),
    idFromString: (id: string) => real.idFromString(id),
    get: () => new Proxy({}, { get: () => down }),
  };
}

async function expectUnavailable(response: Response): Promise<void> {
  const text = await response.clone().text();
  const { status, body } = await result(response);
  expect(status).toBe(503);
  expect(Object.keys(body).sort()).toEqual(["error", "error_code", "error_description", "request_id"]);
  expect(body.error).toBe("unavailable");
  expect(text).not.toContain(INTERNAL);
  expect(text).not.toMatch(/ContactVerifier|Durable|stack/i);
}

describe("an unreachable contact object", () => {
  it("makes every step 503 unavailable, with no internals in the body", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const vars = { CONTACTS: unreachableContacts() };
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const { id, code } = await requestCode(uniquePhone());
    const token = await verifiedToken(phone);

    await expectUnavailable(await callWith(vars, "POST", "/auth/v1/verification", { body: { phone_number: uniquePhone() } }));
    await expectUnavailable(
      await callWith(vars, "POST", "/auth/v1/verification/verify", { body: { verification_id: id, verification_code: code } }),
    );
    await expectUnavailable(await callWith(vars, "POST", "/auth/v1/signin", { body: { verification_token: token } }));
    await expectUnavailable(await callWith(vars, "POST", "/auth/v1/signup", { body: { verification_token: token } }));
    // Nothing was used up: with the object back, the token still signs in.
    expect((await signin({ verification_token: token })).status).toBe(200);
  });

  it("gives the IP's slot back: the failed send did not count", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    consoleLog();
    const ip = uniqueIp();
    const budget = { SENDS_PER_IP_PER_HOUR: "1" };
    const down = await callWith({ ...budget, CONTACTS: unreachableContacts() }, "POST", "/auth/v1/verification", {
      body: { phone_number: uniquePhone() },
      headers: { "cf-connecting-ip": ip },
    });
    expect(down.status).toBe(503);
    expect((await sendCode({ phone_number: uniquePhone() }, { ip, vars: budget })).status).toBe(200);
  });
});

describe("the contact object's alarm", () => {
  it("deletes everything once the last send is 24 h old, and the contact starts afresh", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const phone = uniquePhone();
    await verifiedToken(phone);
    expect(await contactState(phone)).toMatchObject({ contact: { kind: "phone", value: phone }, sends: [{ at: start }] });

    const stub = env.CONTACTS.get(env.CONTACTS.idFromName(`phone:${phone}`));
    vi.setSystemTime(start + 3_600_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The token has expired; the send still counts for the day.
    expect(await contactState(phone)).toMatchObject({ codes: [], tokens: [], sends: [{ at: start }] });

    vi.setSystemTime(start + 86_400_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await contactState(phone)).toBeUndefined();
    await requestCode(phone);
    expect((await contactState(phone))?.sends).toEqual([expect.objectContaining({ at: start + 86_400_000 })]);
  });
});
