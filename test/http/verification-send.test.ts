import { afterEach, describe, expect, it, vi } from "vitest";
import { createUser, jsonOf, result } from "./helpers";
import {
  codeLines,
  consoleLog,
  requestCode,
  ROUTED_SECRET,
  sendCode,
  uniqueEmail,
  uniqueIp,
  uniquePhone,
  verifyCode,
} from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("POST /auth/v1/verification: the contact", () => {
  it("answers verification_id, expires_in 600 and is_user, with no-store", async () => {
    consoleLog();
    const phone = uniquePhone();
    const response = await sendCode({ phone_number: phone, target: "ANY" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await jsonOf(response);
    expect(Object.keys(body).sort()).toEqual(["expires_in", "is_user", "verification_id"]);
    expect(body).toMatchObject({ expires_in: 600, is_user: false });
    expect(body.verification_id).toMatch(ROUTED_SECRET);
    const line = codeLines().at(-1)!;
    expect(line).toEqual({ type: "verification_code", channel: "sms", to: phone, code: line.code, usage: "SIGN_IN", expires_in: 600 });
    expect(line.code).toMatch(/^[0-9]{6}$/);
  });

  it.each([
    ["+8613912345678", "+86 13912345678"],
    ["+86 13912345679", "+86 13912345679"],
    ["+861 3912345670", "+86 13912345670"],
    ["+85 261234567", "+852 61234567"],
    ["+852 61234568", "+852 61234568"],
    ["+1 415 555 2671", "+1 4155552671"],
  ])("normalises the phone number %s to %s", async (sent, stored) => {
    consoleLog();
    expect((await sendCode({ phone_number: sent })).status).toBe(200);
    expect(codeLines().at(-1)!.to).toBe(stored);
  });

  it.each(["13800138000", "+86 13912", "+1 5550100", "+852 12345678", "+86 138-0013-8000", "++8613800138000", "+", "phone"])(
    "refuses the phone number %j with invalid_argument",
    async (phone) => {
      const { status, body } = await result(await sendCode({ phone_number: phone }));
      expect(status).toBe(400);
      expect(body.error).toBe("invalid_argument");
    },
  );

  it("trims and lower-cases an email as a whole and sends it on the email channel", async () => {
    consoleLog();
    const email = uniqueEmail();
    expect((await sendCode({ email: `  ${email.toUpperCase()} ` })).status).toBe(200);
    expect(codeLines().at(-1)).toMatchObject({ channel: "email", to: email });
  });

  it.each([
    [{}, "neither"],
    [{ phone_number: "+86 13912345678", email: "a@example.com" }, "both"],
    [{ email: "not an address" }, "a malformed email"],
    [{ email: 42 }, "a number as email"],
    [{ phone_number: "+86 13912345678", target: "SOMEONE" }, "an unknown target"],
    [{ phone_number: "+86 13912345678", usage: "LOGIN" }, "an unknown usage"],
  ])("refuses %j (%s) with invalid_argument", async (body: object, _case: string) => {
    const response = await result(await sendCode(body));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("invalid_argument");
  });

  it("ignores client_id, client_secret, other fields, a stale bearer, and accepts text/plain", async () => {
    consoleLog();
    const response = await sendCode(
      { phone_number: uniquePhone(), client_id: "abc", client_secret: "def", extra: { any: 1 } },
      { contentType: "text/plain;charset=UTF-8", headers: { authorization: "Bearer stale-token" } },
    );
    expect(response.status).toBe(200);
  });

  it("records a code.sent auth event with a pseudonymous contact and the request id", async () => {
    const log = consoleLog();
    const phone = uniquePhone();
    await sendCode({ phone_number: phone, usage: "REGISTER" }, { headers: { "x-request-id": "send-event-1" } });
    const events = log.mock.calls
      .map((args) => JSON.parse(String(args[0])) as Record<string, unknown>)
      .filter((line) => line.type === "auth" && line.request_id === "send-event-1");
    expect(events).toEqual([
      {
        type: "auth",
        request_id: "send-event-1",
        event: "code.sent",
        channel: "sms",
        usage: "REGISTER",
        contact: expect.stringMatching(/^h:[0-9a-f]{16}$/),
      },
    ]);
  });

  it("echoes usage to the sender", async () => {
    consoleLog();
    const phone = uniquePhone();
    await requestCode(phone, { usage: "REGISTER" });
    expect(codeLines().at(-1)!.usage).toBe("REGISTER");
    const email = uniqueEmail();
    await requestCode(email, { usage: "PASSWORD_RESET" });
    expect(codeLines().at(-1)!.usage).toBe("PASSWORD_RESET");
  });
});

describe("POST /auth/v1/verification: target", () => {
  it("USER: 404 user_not_found for an unknown contact, 200 with is_user true for a known one", async () => {
    consoleLog();
    const unknown = await result(await sendCode({ phone_number: uniquePhone(), target: "USER" }));
    expect(unknown).toMatchObject({ status: 404, body: { error: "user_not_found", error_code: 4004 } });
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const known = await result(await sendCode({ phone_number: phone.replace(" ", ""), target: "USER" }));
    expect(known).toMatchObject({ status: 200, body: { is_user: true } });
  });

  it("NOT_USER: 409 already_exists for a known contact, 200 for an unknown one", async () => {
    consoleLog();
    const email = uniqueEmail();
    await createUser({ email });
    const known = await result(await sendCode({ email: email.toUpperCase(), target: "NOT_USER" }));
    expect(known).toMatchObject({ status: 409, body: { error: "already_exists" } });
    const fresh = await result(await sendCode({ email: uniqueEmail(), target: "NOT_USER" }));
    expect(fresh).toMatchObject({ status: 200, body: { is_user: false } });
  });

  it("ANY: answers for both, with is_user", async () => {
    consoleLog();
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    expect(await result(await sendCode({ phone_number: phone }))).toMatchObject({ status: 200, body: { is_user: true } });
  });

  it("a target failure sends nothing and starts no cooldown", async () => {
    consoleLog();
    const phone = uniquePhone();
    expect((await sendCode({ phone_number: phone, target: "USER" })).status).toBe(404);
    expect(codeLines().filter((line) => line.to === phone)).toEqual([]);
    expect((await sendCode({ phone_number: phone })).status).toBe(200);
  });
});

describe("POST /auth/v1/verification: codes and per-contact limits", () => {
  it("a new send invalidates the previous code once it was sent a minute or more before", async () => {
    consoleLog();
    vi.useFakeTimers({ toFake: ["Date"] });
    const phone = uniquePhone();
    const first = await requestCode(phone);
    vi.setSystemTime(Date.now() + 61_000);
    const second = await requestCode(phone);
    const old = await result(await verifyCode({ verification_id: first.id, verification_code: first.code }));
    expect(old).toMatchObject({ status: 400, body: { error: "invalid_verification_code" } });
    expect((await verifyCode({ verification_id: second.id, verification_code: second.code })).status).toBe(200);
  });

  it("within 60 s of a send to a contact, asks for a captcha with Retry-After; then a send is free again", async () => {
    consoleLog();
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const phone = uniquePhone();
    await requestCode(phone);
    vi.setSystemTime(start + 20_000);
    const again = await sendCode({ phone_number: phone.replace(" ", "") });
    expect(again.status).toBe(400);
    expect((await jsonOf(again)).error).toBe("captcha_required");
    expect(again.headers.get("retry-after")).toBe("40");
    // The cooldown is per contact, not per IP or per channel.
    expect((await sendCode({ phone_number: uniquePhone() })).status).toBe(200);
    vi.setSystemTime(start + 60_000);
    expect((await sendCode({ phone_number: phone })).status).toBe(200);
  });

  it("a send refused for want of a captcha does not invalidate the code already sent", async () => {
    consoleLog();
    const email = uniqueEmail();
    const { id, code } = await requestCode(email);
    expect((await sendCode({ email })).status).toBe(400);
    expect((await verifyCode({ verification_id: id, verification_code: code })).status).toBe(200);
  });

  it("allows SENDS_PER_CONTACT_PER_DAY sends per contact in 24 h without a captcha, then asks for one until the oldest ages out", async () => {
    consoleLog();
    vi.useFakeTimers({ toFake: ["Date"] });
    const vars = { SENDS_PER_CONTACT_PER_DAY: "2" };
    const start = Date.now();
    const email = uniqueEmail();
    expect((await sendCode({ email }, { vars })).status).toBe(200);
    vi.setSystemTime(start + 61_000);
    expect((await sendCode({ email }, { vars })).status).toBe(200);
    vi.setSystemTime(start + 122_000);
    const third = await sendCode({ email }, { vars });
    expect(third.status).toBe(400);
    expect((await jsonOf(third)).error).toBe("captcha_required");
    expect(third.headers.get("retry-after")).toBe(String(86_400 - 122));
    vi.setSystemTime(start + 86_400_000 + 1);
    expect((await sendCode({ email }, { vars })).status).toBe(200);
  });

  it("10 concurrent sends to one contact: exactly one goes out, the others need a captcha", async () => {
    consoleLog();
    const phone = uniquePhone();
    const answers = await Promise.all(Array.from({ length: 10 }, () => sendCode({ phone_number: phone }).then(result)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.body.error === "captcha_required")).toHaveLength(9);
    expect(codeLines().filter((line) => line.to === phone)).toHaveLength(1);
  });

  it("issues uniformly formatted six-digit codes, different from send to send", async () => {
    consoleLog();
    const codes = new Set<string>();
    for (let i = 0; i < 8; i++) codes.add((await requestCode(uniqueEmail(), {}, { ip: uniqueIp() })).code);
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    expect(codes.size).toBeGreaterThan(4);
  });
});
