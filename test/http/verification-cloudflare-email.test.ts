import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { callWith, result } from "./helpers";
import { consoleLog, uniqueEmail, uniqueIp, uniquePhone } from "./verification-helpers";

afterEach(() => vi.restoreAllMocks());

const vars = { SENDER: "webhook", EMAIL_SENDER: "cloudflare", EMAIL_FROM: "auth@example.com", WEBHOOK_SECRET: "webhook-secret" };

type Built = { from: string; to: string; subject: string; text: string };

/** The real send_email binding of the test runtime, with every message recorded on the way. */
function recordingBinding(sent: Built[]) {
  return { send: (message: Built) => (sent.push(message), env.SEND_EMAIL!.send(message)) };
}

const send = (body: Record<string, unknown>, bindings: Record<string, unknown>) =>
  callWith({ ...vars, ...bindings }, "POST", "/auth/v1/verification", { body, headers: { "cf-connecting-ip": uniqueIp() } });

describe("email codes through Cloudflare Email (EMAIL_SENDER=cloudflare)", () => {
  it("sends the code with the send_email binding, from EMAIL_FROM, and the code verifies", async () => {
    consoleLog();
    const sent: Built[] = [];
    const email = uniqueEmail();
    const response = await result(await send({ email, usage: "REGISTER" }, { SEND_EMAIL: recordingBinding(sent) }));
    expect(response).toMatchObject({ status: 200, body: { expires_in: 600 } });
    expect(sent).toEqual([
      { from: "auth@example.com", to: email, subject: "Your sign-up code", text: expect.stringMatching(/Your code is \d{6}\. It expires in 10 minutes\./) },
    ]);
    const code = /(\d{6})/.exec(sent[0]!.text)![1];
    const verified = await callWith(vars, "POST", "/auth/v1/verification/verify", {
      body: { verification_id: response.body.verification_id, verification_code: code },
    });
    expect(verified.status).toBe(200);
  });

  it("answers 503 unavailable when the binding fails (the send counts for nothing, as with webhooks)", async () => {
    consoleLog();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = { send: () => Promise.reject(new Error("destination address not verified")) };
    const response = await send({ email: uniqueEmail() }, { SEND_EMAIL: failing });
    expect(await result(response)).toMatchObject({ status: 503, body: { error: "unavailable" } });
  });

  it("still sends SMS codes to the SMS webhook", async () => {
    consoleLog();
    const posted: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      posted.push(String(input));
      return new Response(null, { status: 204 });
    });
    const response = await send({ phone_number: uniquePhone() }, { SMS_WEBHOOK_URL: "https://hooks.test/sms" });
    expect(response.status).toBe(200);
    expect(posted).toEqual(["https://hooks.test/sms"]);
  });

  it("is a configuration error (500 naming EMAIL_FROM in the log) without EMAIL_FROM", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
    const response = await send({ email: uniqueEmail() }, { EMAIL_FROM: "" });
    expect(response.status).toBe(500);
    expect(errors.join("\n")).toContain("EMAIL_FROM");
  });
});
