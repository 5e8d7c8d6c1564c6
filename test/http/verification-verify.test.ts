import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonOf, result } from "./helpers";
import {
  consoleLog,
  contactState,
  requestCode,
  ROUTED_SECRET,
  uniqueEmail,
  uniquePhone,
  verifyCode,
  wrongCode,
} from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const invalidCode = { status: 400, body: { error: "invalid_verification_code", error_code: 4007 } };

describe("POST /auth/v1/verification/verify", () => {
  it("exchanges the right code for a verification_token, with no-store", async () => {
    const { id, code } = await requestCode(uniquePhone());
    const response = await verifyCode({ verification_id: id, verification_code: code });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await jsonOf(response);
    expect(Object.keys(body).sort()).toEqual(["expires_in", "verification_token"]);
    expect(body.expires_in).toBe(600);
    expect(body.verification_token).toMatch(ROUTED_SECRET);
  });

  it("refuses a wrong code, and the body does not echo it", async () => {
    const { id, code } = await requestCode(uniqueEmail());
    const response = await result(await verifyCode({ verification_id: id, verification_code: wrongCode(code) }));
    expect(response).toMatchObject(invalidCode);
    expect(JSON.stringify(response.body)).not.toContain(wrongCode(code));
  });

  it("lets a code verify only once", async () => {
    const { id, code } = await requestCode(uniquePhone());
    expect((await verifyCode({ verification_id: id, verification_code: code })).status).toBe(200);
    expect(await result(await verifyCode({ verification_id: id, verification_code: code }))).toMatchObject(invalidCode);
  });

  it("after 5 wrong codes the verification is dead: even the right code is refused", async () => {
    const { id, code } = await requestCode(uniquePhone());
    for (let i = 0; i < 5; i++) {
      expect(await result(await verifyCode({ verification_id: id, verification_code: wrongCode(code) }))).toMatchObject(
        invalidCode,
      );
    }
    expect(await result(await verifyCode({ verification_id: id, verification_code: code }))).toMatchObject(invalidCode);
  });

  it("4 wrong codes still leave the fifth try to the right code", async () => {
    const { id, code } = await requestCode(uniqueEmail());
    for (let i = 0; i < 4; i++) await verifyCode({ verification_id: id, verification_code: wrongCode(code) });
    expect((await verifyCode({ verification_id: id, verification_code: code })).status).toBe(200);
  });

  it("20 concurrent wrong guesses are evaluated at most 5 times, and then the right code is refused", async () => {
    const phone = uniquePhone();
    const { id, code } = await requestCode(phone);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        verifyCode({ verification_id: id, verification_code: wrongCode(code) }).then((response) => response.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([400]));
    expect((await contactState(phone))?.codes[0]?.attempts).toBe(5);
    expect(await result(await verifyCode({ verification_id: id, verification_code: code }))).toMatchObject(invalidCode);
  });

  it("10 concurrent right guesses give exactly one verification_token", async () => {
    const { id, code } = await requestCode(uniqueEmail());
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => verifyCode({ verification_id: id, verification_code: code }).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  });

  it("refuses a code after its 600 s", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const early = await requestCode(uniquePhone());
    const late = await requestCode(uniquePhone());
    vi.setSystemTime(start + 599_000);
    expect((await verifyCode({ verification_id: early.id, verification_code: early.code })).status).toBe(200);
    vi.setSystemTime(start + 600_000);
    expect(await result(await verifyCode({ verification_id: late.id, verification_code: late.code }))).toMatchObject(
      invalidCode,
    );
  });

  it.each([
    ["an unknown id", "A".repeat(43)],
    ["a malformed id", "not-an-id"],
  ])("answers invalid_verification_code for %s", async (_name, id) => {
    expect(await result(await verifyCode({ verification_id: id, verification_code: "123456" }))).toMatchObject(invalidCode);
  });

  it.each([
    [{}, "nothing"],
    [{ verification_id: "x" }, "no code"],
    [{ verification_code: "123456" }, "no id"],
    [{ verification_id: "x", verification_code: 123456 }, "a numeric code"],
  ])("refuses %j (%s) with invalid_argument", async (body: object, _case: string) => {
    expect((await result(await verifyCode(body))).body.error).toBe("invalid_argument");
  });

  it("a code is bound to its verification: another verification's code does not verify it", async () => {
    consoleLog();
    const first = await requestCode(uniquePhone());
    const second = await requestCode(uniquePhone());
    if (first.code === second.code) return; // one chance in a million: nothing to show
    expect(await result(await verifyCode({ verification_id: first.id, verification_code: second.code }))).toMatchObject(
      invalidCode,
    );
  });
});
