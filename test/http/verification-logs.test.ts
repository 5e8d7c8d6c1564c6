import { afterEach, expect, it, vi } from "vitest";
import { createUser, result, signin, uniqueName } from "./helpers";
import { postWith, sendCode, uniqueEmail, uniquePhone, verifyCode, wrongCode } from "./verification-helpers";

afterEach(() => vi.restoreAllMocks());

it("no log line but the console sender's own carries a code, a token, a phone number or an email", async () => {
  const lines: string[] = [];
  for (const method of ["log", "error", "warn", "info", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  }
  const codeLine = (to: string) => {
    const line = lines.filter((item) => item.includes('"type":"verification_code"') && item.includes(to)).at(-1);
    return JSON.parse(line!) as { code: string };
  };
  const secrets: string[] = [];

  // Sign-in by phone.
  const phone = uniquePhone();
  secrets.push(phone, phone.replace(" ", ""), phone.split(" ")[1]!);
  await createUser({ phone_number: phone });
  const sent = await result(await sendCode({ phone_number: phone }));
  const { code } = codeLine(phone);
  secrets.push(code, String(sent.body.verification_id));
  await verifyCode({ verification_id: sent.body.verification_id, verification_code: wrongCode(code) });
  secrets.push(wrongCode(code));
  const verified = await result(await verifyCode({ verification_id: sent.body.verification_id, verification_code: code }));
  const token = String(verified.body.verification_token);
  secrets.push(token);
  const session = await result(await signin({ username: phone, verification_token: token }));
  secrets.push(String(session.body.access_token), String(session.body.refresh_token));
  await signin({ verification_token: token }); // reused: invalid_grant
  await sendCode({ phone_number: phone }); // cooldown: captcha_required

  // Sign-up by email.
  const email = uniqueEmail();
  secrets.push(email);
  const sentEmail = await result(await sendCode({ email: email.toUpperCase(), target: "NOT_USER" }));
  const emailCode = codeLine(email).code;
  secrets.push(emailCode);
  const emailToken = String(
    (await result(await verifyCode({ verification_id: sentEmail.body.verification_id, verification_code: emailCode }))).body
      .verification_token,
  );
  secrets.push(emailToken);
  const password = "signup password in logs?";
  secrets.push(password);
  await postWith("/auth/v1/signup", { verification_token: emailToken, username: uniqueName("logs"), password });

  // A failing webhook (its cause is logged) and a target miss.
  const failingPhone = uniquePhone();
  secrets.push(failingPhone, failingPhone.split(" ")[1]!);
  vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("no", { status: 500 }));
  const vars = { SENDER: "webhook", SMS_WEBHOOK_URL: "https://hooks.test/sms?key=k", WEBHOOK_SECRET: "webhook secret" };
  expect((await sendCode({ phone_number: failingPhone }, { vars })).status).toBe(503);
  secrets.push("webhook secret", "hooks.test");
  await sendCode({ email: uniqueEmail(), target: "USER" });

  const others = lines.filter((line) => !line.includes('"type":"verification_code"'));
  expect(others.length).toBeGreaterThan(10);
  expect(others.some((line) => line.includes('"type":"error"'))).toBe(true);
  for (const line of others) for (const secret of secrets) expect(line).not.toContain(secret);
});
