import { afterEach, describe, expect, it, vi } from "vitest";
import { result } from "./helpers";
import {
  codeLines,
  consoleLog,
  contactState,
  requestCode,
  sendCode,
  uniqueEmail,
  uniquePhone,
  verifyCode,
} from "./verification-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

// The Standard Webhooks secret form: whsec_ + base64 of the key bytes.
const KEY_BYTES = crypto.getRandomValues(new Uint8Array(24));
const SPEC_SECRET = `whsec_${btoa(String.fromCharCode(...KEY_BYTES))}`;
const SMS_URL = "https://hooks.test/sms";
const EMAIL_URL = "https://hooks.test/email";
const webhookVars = (secret = SPEC_SECRET) => ({
  SENDER: "webhook",
  SMS_WEBHOOK_URL: SMS_URL,
  EMAIL_WEBHOOK_URL: EMAIL_URL,
  WEBHOOK_SECRET: secret,
});

interface Delivery {
  url: string;
  headers: Headers;
  body: string;
  signal: AbortSignal | null | undefined;
  redirect: string | undefined;
}

/** Stands in for the operator's webhook receiver: records each delivery and answers `answer`. */
function receiver(answer: () => Promise<Response> = async () => new Response(null, { status: 204 })) {
  const deliveries: Delivery[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    deliveries.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: String(init?.body),
      signal: init?.signal,
      redirect: init?.redirect,
    });
    return answer();
  });
  return deliveries;
}

/** Verifies a delivery the way a Standard Webhooks receiver does, independently of the Worker's code. */
async function signatureValid(delivery: Delivery, keyBytes: Uint8Array): Promise<boolean> {
  const id = delivery.headers.get("webhook-id")!;
  const timestamp = delivery.headers.get("webhook-timestamp")!;
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signatures = delivery.headers.get("webhook-signature")!.split(" ");
  for (const entry of signatures) {
    const [version, value] = entry.split(",");
    if (version !== "v1" || !value) continue;
    const mac = Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
    if (await crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(`${id}.${timestamp}.${delivery.body}`))) {
      return true;
    }
  }
  return false;
}

describe("the webhook sender", () => {
  it("POSTs the signed JSON to SMS_WEBHOOK_URL, and the code it carries verifies", async () => {
    consoleLog();
    const deliveries = receiver();
    const phone = uniquePhone();
    const sent = await result(await sendCode({ phone_number: phone }, { vars: webhookVars() }));
    expect(sent.status).toBe(200);
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries as [Delivery];
    expect(delivery.url).toBe(SMS_URL);
    expect(delivery.headers.get("content-type")).toBe("application/json");
    expect(delivery.headers.get("webhook-id")).toMatch(/^msg_[A-Za-z0-9_-]+$/);
    expect(Math.abs(Number(delivery.headers.get("webhook-timestamp")) - Date.now() / 1000)).toBeLessThan(5);
    expect(delivery.headers.get("webhook-signature")).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(await signatureValid(delivery, KEY_BYTES)).toBe(true);
    expect(delivery.signal).toBeInstanceOf(AbortSignal);
    expect(delivery.redirect).toBe("manual");

    const payload = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(["channel", "code", "expires_in", "to", "usage"]);
    expect(payload).toMatchObject({ channel: "sms", to: phone, expires_in: 600, usage: "SIGN_IN" });
    expect(payload.code).toMatch(/^[0-9]{6}$/);
    // Delivered by the webhook only: the console sender wrote nothing.
    expect(codeLines()).toEqual([]);

    const verified = await verifyCode({ verification_id: sent.body.verification_id, verification_code: payload.code });
    expect(verified.status).toBe(200);
  });

  it("a tampered body or another secret does not verify", async () => {
    const deliveries = receiver();
    await sendCode({ phone_number: uniquePhone() }, { vars: webhookVars() });
    const [delivery] = deliveries as [Delivery];
    expect(await signatureValid({ ...delivery, body: delivery.body.replace(/"code":"\d/, '"code":"x') }, KEY_BYTES)).toBe(false);
    expect(await signatureValid(delivery, crypto.getRandomValues(new Uint8Array(24)))).toBe(false);
  });

  it("sends email codes to EMAIL_WEBHOOK_URL with the usage; a secret without whsec_ is keyed as UTF-8", async () => {
    const deliveries = receiver();
    const email = uniqueEmail();
    const secret = "a plain operator secret";
    expect((await sendCode({ email, usage: "REGISTER" }, { vars: webhookVars(secret) })).status).toBe(200);
    const [delivery] = deliveries as [Delivery];
    expect(delivery.url).toBe(EMAIL_URL);
    expect(JSON.parse(delivery.body)).toMatchObject({ channel: "email", to: email, usage: "REGISTER" });
    expect(await signatureValid(delivery, new TextEncoder().encode(secret))).toBe(true);
  });

  it("a non-2xx answer is 503 unavailable; the failed send counts nothing and leaves no valid code", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const phone = uniquePhone();
    const first = await requestCode(phone); // console sender
    vi.setSystemTime(start + 61_000);

    const deliveries = receiver(async () => new Response("down", { status: 500 }));
    const failed = await result(await sendCode({ phone_number: phone }, { vars: webhookVars() }));
    expect(failed.status).toBe(503);
    expect(Object.keys(failed.body).sort()).toEqual(["error", "error_code", "error_description", "request_id"]);
    expect(failed.body.error).toBe("unavailable");
    const failedCode = String(JSON.parse(deliveries[0]!.body).code);
    expect(JSON.stringify(failed.body)).not.toContain(failedCode);

    // No code of this contact is valid: neither the failed one nor the one it replaced.
    expect((await contactState(phone))?.codes).toEqual([]);
    expect((await verifyCode({ verification_id: first.id, verification_code: first.code })).status).toBe(400);

    // It counted against nothing: no cooldown now.
    vi.restoreAllMocks();
    receiver();
    expect((await sendCode({ phone_number: phone }, { vars: webhookVars() })).status).toBe(200);
  });

  it.each([
    ["a timeout", () => Promise.reject(new DOMException("The operation timed out", "TimeoutError"))],
    ["a network error", () => Promise.reject(new TypeError("Network connection lost"))],
    ["a 302", async () => new Response(null, { status: 302, headers: { location: "https://elsewhere.test" } })],
  ])("%s is 503 unavailable", async (_case: string, answer: () => Promise<Response>) => {
    receiver(answer);
    const email = uniqueEmail();
    expect(await result(await sendCode({ email }, { vars: webhookVars() }))).toMatchObject({
      status: 503,
      body: { error: "unavailable" },
    });
  });

  it("SENDER=webhook without WEBHOOK_SECRET or without the channel's URL is a loud configuration error (500)", async () => {
    receiver();
    const noSecret = { SENDER: "webhook", SMS_WEBHOOK_URL: SMS_URL };
    expect((await result(await sendCode({ phone_number: uniquePhone() }, { vars: noSecret }))).status).toBe(500);
    const noEmailUrl = { SENDER: "webhook", SMS_WEBHOOK_URL: SMS_URL, WEBHOOK_SECRET: SPEC_SECRET };
    expect((await result(await sendCode({ email: uniqueEmail() }, { vars: noEmailUrl }))).status).toBe(500);
  });
});
