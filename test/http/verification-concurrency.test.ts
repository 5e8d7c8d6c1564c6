// Races on one contact's object and on one IP's send budget. Every request goes through app.fetch
// in this isolate (`call`), so they really run concurrently.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createUser, result, signin } from "./helpers";
import {
  codeLines,
  consoleLog,
  postWith,
  requestCode,
  sendCode,
  uniqueEmail,
  uniqueIp,
  uniquePhone,
  verifiedToken,
  verifyCode,
} from "./verification-helpers";

afterEach(() => vi.restoreAllMocks());

const times = <T>(count: number, run: () => Promise<T>) => Promise.all(Array.from({ length: count }, run));

describe("concurrent verification", () => {
  it("20 concurrent verifies with the right code give exactly one verification_token", async () => {
    const phone = uniquePhone();
    await createUser({ phone_number: phone });
    const { id, code } = await requestCode(phone);
    const answers = await times(20, async () => result(await verifyCode({ verification_id: id, verification_code: code })));
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    for (const answer of answers.filter((item) => item.status !== 200)) {
      expect(answer).toMatchObject({ status: 400, body: { error: "invalid_verification_code" } });
    }
    expect((await signin({ verification_token: winners[0]!.body.verification_token })).status).toBe(200);
  });

  it("20 concurrent code sign-ins with one token: exactly one 200, the rest invalid_grant", async () => {
    const email = uniqueEmail();
    const user = await createUser({ email });
    const token = await verifiedToken(email);
    const answers = await times(20, async () => result(await signin({ verification_token: token })));
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.body.sub).toBe(user.sub);
    for (const answer of answers.filter((item) => item.status !== 200)) {
      expect(answer).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    }
  });

  it("a token released after user_not_found signs up at once, even after concurrent sign-ins with it", async () => {
    const phone = uniquePhone();
    const token = await verifiedToken(phone);
    const answers = await times(10, async () => result(await signin({ verification_token: token })));
    // Each sign-in held the token while it looked for the user; the others saw it claimed.
    expect(answers.some((answer) => answer.body.error === "user_not_found")).toBe(true);
    for (const answer of answers) expect(["user_not_found", "invalid_grant"]).toContain(answer.body.error);
    const signedUp = await result(await postWith("/auth/v1/signup", { verification_token: token }));
    expect(signedUp.status).toBe(200);
    const again = await result(await signin({ verification_token: token }));
    expect(again).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });
});

describe("the per-IP send budget under a burst", () => {
  it("SENDS_PER_IP_PER_HOUR=3, 10 concurrent sends to different contacts: exactly 3 go out, 7 captcha_required", async () => {
    consoleLog();
    const ip = uniqueIp();
    const vars = { SENDS_PER_IP_PER_HOUR: "3" };
    const phones = Array.from({ length: 10 }, () => uniquePhone());
    const answers = await Promise.all(phones.map(async (phone) => result(await sendCode({ phone_number: phone }, { ip, vars }))));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    expect(answers.filter((answer) => answer.body.error === "captcha_required")).toHaveLength(7);
    expect(codeLines().filter((line) => phones.includes(line.to))).toHaveLength(3);
    // The contacts refused for the captcha were not touched: each can be sent to from elsewhere.
    const refused = phones.filter((_, i) => answers[i]!.status !== 200);
    expect((await sendCode({ phone_number: refused[0]! }, { vars })).status).toBe(200);
  });

  it("sends refused by a contact's cooldown give their slot back", async () => {
    consoleLog();
    const ip = uniqueIp();
    const vars = { SENDS_PER_IP_PER_HOUR: "2" };
    const phone = uniquePhone();
    const answers = await times(6, async () => result(await sendCode({ phone_number: phone }, { ip, vars })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    // Five refusals by the contact gave back their slots: one of the two is still free.
    expect((await sendCode({ phone_number: uniquePhone() }, { ip, vars })).status).toBe(200);
    expect((await result(await sendCode({ phone_number: uniquePhone() }, { ip, vars }))).body.error).toBe("captcha_required");
  });
});
