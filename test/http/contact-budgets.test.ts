// Someone who knows only a contact must not be able to stop its owner from signing in with a code
// for more than a few minutes: the contact's limits ask for a captcha instead of refusing, a new
// send spares a code delivered less than a minute ago, and wrong codes are budgeted per contact.
import { afterEach, describe, expect, it, vi } from "vitest";
import { captchaToken } from "./captcha-helpers";
import { result } from "./helpers";
import { consoleLog, requestCode, sendCode, uniqueEmail, uniquePhone, verifyCode, wrongCode } from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const withCaptcha = async () => ({ headers: { "x-captcha-token": await captchaToken() } });
const verify = (sent: { id: string; code: string }, code = sent.code, vars?: Record<string, string>) =>
  verifyCode({ verification_id: sent.id, verification_code: code }, { ...(vars ? { vars } : {}) }).then(result);

describe("past a contact's daily budget", () => {
  it("a send needs a captcha (with Retry-After) instead of being refused, and with one it goes out", async () => {
    consoleLog();
    vi.useFakeTimers({ toFake: ["Date"] });
    const vars = { SENDS_PER_CONTACT_PER_DAY: "2" };
    const start = Date.now();
    const phone = uniquePhone();
    await requestCode(phone, {}, { vars });
    vi.setSystemTime(start + 61_000);
    await requestCode(phone, {}, { vars });
    vi.setSystemTime(start + 122_000);
    const third = await sendCode({ phone_number: phone }, { vars });
    expect(third.headers.get("retry-after")).toBe(String(86_400 - 122));
    expect(await result(third)).toMatchObject({ status: 400, body: { error: "captcha_required" } });
    const owner = await requestCode(phone, {}, { vars, ...(await withCaptcha()) });
    expect(await verify(owner)).toMatchObject({ status: 200 });
  });
});

describe("a new send within a minute", () => {
  it("needs a captcha, and does not invalidate the code delivered less than a minute ago", async () => {
    consoleLog();
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const email = uniqueEmail();
    const owner = await requestCode(email);
    vi.setSystemTime(start + 20_000);
    const bare = await sendCode({ email });
    expect(bare.headers.get("retry-after")).toBe("40");
    expect(await result(bare)).toMatchObject({ status: 400, body: { error: "captcha_required" } });
    const other = await requestCode(email, {}, await withCaptcha());
    expect(await verify(owner)).toMatchObject({ status: 200 });
    expect(await verify(other)).toMatchObject({ status: 200 });
  });
});

describe("the per-contact budget of wrong codes (WRONG_CODES_PER_CONTACT_PER_HOUR)", () => {
  it("spent across sends, it stops verify until a new code is sent with a captcha", async () => {
    consoleLog();
    vi.useFakeTimers({ toFake: ["Date"] });
    const vars = { WRONG_CODES_PER_CONTACT_PER_HOUR: "3" };
    const start = Date.now();
    const phone = uniquePhone();
    const first = await requestCode(phone, {}, { vars });
    for (let i = 0; i < 2; i++) expect(await verify(first, wrongCode(first.code), vars)).toMatchObject({ status: 400 });
    vi.setSystemTime(start + 61_000);
    const second = await requestCode(phone, {}, { vars });
    expect(await verify(second, wrongCode(second.code), vars)).toMatchObject({ status: 400, body: { error: "invalid_verification_code" } });
    // Three wrong codes for this contact within the hour: even the right one is refused now.
    const refused = await verify(second, second.code, vars);
    expect(refused).toMatchObject({ status: 400, body: { error: "invalid_verification_code" } });
    expect(String(refused.body.error_description)).toMatch(/captcha/i);

    vi.setSystemTime(start + 122_000);
    expect(await result(await sendCode({ phone_number: phone }, { vars }))).toMatchObject({
      status: 400,
      body: { error: "captcha_required" },
    });
    const third = await requestCode(phone, {}, { vars, ...(await withCaptcha()) });
    expect(await verify(third, third.code, vars)).toMatchObject({ status: 200 });
  });

  it("is forgotten after an hour", async () => {
    consoleLog();
    vi.useFakeTimers({ toFake: ["Date"] });
    const vars = { WRONG_CODES_PER_CONTACT_PER_HOUR: "1" };
    const email = uniqueEmail();
    const first = await requestCode(email, {}, { vars });
    expect(await verify(first, wrongCode(first.code), vars)).toMatchObject({ status: 400 });
    expect(await verify(first, first.code, vars)).toMatchObject({ status: 400 });
    vi.setSystemTime(Date.now() + 3_600_001);
    const second = await requestCode(email, {}, { vars });
    expect(await verify(second, second.code, vars)).toMatchObject({ status: 200 });
  });
});
