import { afterEach, describe, expect, it, vi } from "vitest";
import { CAPTCHA_ALPHABET } from "../../src/captcha/glyphs";
import { ANSWER_LENGTH } from "../../src/captcha/answer";
import { post, result } from "./helpers";
import { consoleLog, sendCode, uniqueEmail, uniqueIp, uniquePhone } from "./verification-helpers";

afterEach(() => vi.restoreAllMocks());

const vars = { SENDS_PER_IP_PER_HOUR: "1" };

/**
 * A captcha token through the public endpoints. The challenge is made while every single 32-bit
 * draw is 0, so its answer is the alphabet's first character ANSWER_LENGTH times; tokens stay random.
 */
async function captchaToken(): Promise<string> {
  const real = crypto.getRandomValues.bind(crypto);
  const spy = vi.spyOn(crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    if (array instanceof Uint32Array && array.length === 1) {
      array[0] = 0;
      return array;
    }
    return real(array as never) as T;
  });
  const challenge = await result(await post("/auth/v1/captcha/data", {}));
  spy.mockRestore();
  expect(challenge.status).toBe(200);
  const solved = await result(
    await post("/auth/v1/captcha/data/verify", { token: challenge.body.token, key: CAPTCHA_ALPHABET[0]!.repeat(ANSWER_LENGTH) }),
  );
  expect(solved.status).toBe(200);
  return String(solved.body.captcha_token);
}

describe("POST /auth/v1/verification past SENDS_PER_IP_PER_HOUR", () => {
  it("asks for a captcha, refuses a wrong or reused one, and sends with a valid one (header or query)", async () => {
    consoleLog();
    const ip = uniqueIp();
    expect((await sendCode({ phone_number: uniquePhone() }, { ip, vars })).status).toBe(200);

    const second = await result(await sendCode({ phone_number: uniquePhone() }, { ip, vars }));
    expect(second).toMatchObject({ status: 400, body: { error: "captcha_required", error_code: 4028 } });
    const wrong = await result(
      await sendCode({ phone_number: uniquePhone() }, { ip, vars, headers: { "x-captcha-token": "not-a-real-token" } }),
    );
    expect(wrong).toMatchObject({ status: 400, body: { error: "captcha_invalid" } });

    const token = await captchaToken();
    const withHeader = await sendCode({ email: uniqueEmail() }, { ip, vars, headers: { "x-captcha-token": token } });
    expect(withHeader.status).toBe(200);
    const reused = await result(await sendCode({ email: uniqueEmail() }, { ip, vars, headers: { "x-captcha-token": token } }));
    expect(reused).toMatchObject({ status: 400, body: { error: "captcha_invalid" } });

    const viaQuery = await sendCode({ email: uniqueEmail() }, { ip, vars, query: `client_id=x&captcha_token=${await captchaToken()}` });
    expect(viaQuery.status).toBe(200);
  });

  it("counts per CF-Connecting-IP only: X-Forwarded-For and other IPs do not share or escape the count", async () => {
    consoleLog();
    const ip = uniqueIp();
    expect((await sendCode({ phone_number: uniquePhone() }, { ip, vars })).status).toBe(200);
    const spoofed = await sendCode(
      { phone_number: uniquePhone() },
      { ip, vars, headers: { "x-forwarded-for": uniqueIp(), "x-real-ip": uniqueIp(), "true-client-ip": uniqueIp() } },
    );
    expect((await result(spoofed)).body.error).toBe("captcha_required");
    expect((await sendCode({ phone_number: uniquePhone() }, { ip: uniqueIp(), vars })).status).toBe(200);
  });

  it("one captcha passes both the IP's budget and the contact's cooldown: one token, one send", async () => {
    consoleLog();
    const ip = uniqueIp();
    const phone = uniquePhone();
    expect((await sendCode({ phone_number: phone }, { ip, vars })).status).toBe(200);
    const bogus = await result(await sendCode({ phone_number: phone }, { ip, vars, headers: { "x-captcha-token": "whatever" } }));
    expect(bogus).toMatchObject({ status: 400, body: { error: "captcha_invalid" } });
    const again = await sendCode({ phone_number: phone }, { ip, vars, headers: { "x-captcha-token": await captchaToken() } });
    expect(again.status).toBe(200);
  });

  it("a send that failed does not count against the IP", async () => {
    const ip = uniqueIp();
    const failing = { ...vars, SENDER: "webhook", SMS_WEBHOOK_URL: "https://hooks.test/sms", WEBHOOK_SECRET: "s" };
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 502 }));
    expect((await sendCode({ phone_number: uniquePhone() }, { ip, vars: failing })).status).toBe(503);
    consoleLog();
    expect((await sendCode({ phone_number: uniquePhone() }, { ip, vars })).status).toBe(200);
  });
});

describe("target checks", () => {
  it("count against the IP's send budget, so probing which contacts have accounts hits the captcha", async () => {
    consoleLog();
    const ip = uniqueIp();
    const probe = await result(await sendCode({ phone_number: uniquePhone(), target: "USER" }, { ip, vars }));
    expect(probe).toMatchObject({ status: 404, body: { error: "user_not_found" } });
    const next = await result(await sendCode({ phone_number: uniquePhone(), target: "USER" }, { ip, vars }));
    expect(next).toMatchObject({ status: 400, body: { error: "captcha_required" } });
    const elsewhere = await result(await sendCode({ phone_number: uniquePhone(), target: "USER" }, { ip: uniqueIp(), vars }));
    expect(elsewhere).toMatchObject({ status: 404, body: { error: "user_not_found" } });
  });
});
