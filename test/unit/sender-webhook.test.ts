import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { ApiError } from "../../src/errors";
import { WebhookSender, type WebhookSenderOptions } from "../../src/senders/webhook-sender";
import { importWebhookKey, signWebhook, webhookKeyBytes } from "../../src/senders/webhook-signature";

const message = { channel: "sms" as const, to: "+86 13800138000", code: "123456", expiresIn: 600, usage: "SIGN_IN" as const };

describe("Standard Webhooks signing", () => {
  it("reproduces the specification's published test vector", async () => {
    const key = await importWebhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    expect(await signWebhook(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("keys a whsec_ secret with its decoded bytes and any other secret with its UTF-8 bytes", () => {
    expect(webhookKeyBytes("whsec_AAEC")).toEqual(new Uint8Array([0, 1, 2]));
    expect(webhookKeyBytes("plain")).toEqual(new TextEncoder().encode("plain"));
  });

  it("refuses a whsec_ secret that is not base64, naming the variable only", () => {
    expect(() => webhookKeyBytes("whsec_not base64!")).toThrow(ConfigError);
    expect(() => webhookKeyBytes("whsec_not base64!")).toThrow(/^Configuration variable WEBHOOK_SECRET/);
  });
});

function sender(fetchImpl: typeof fetch, options: Partial<WebhookSenderOptions> = {}) {
  return new WebhookSender({ secret: "s", urls: { sms: "https://hooks.test/sms" }, fetch: fetchImpl, ...options });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a failure");
}

describe("WebhookSender", () => {
  it("signs the exact body it sends, with the timestamp of its clock", async () => {
    let seen: { headers: Headers; body: string } | undefined;
    const ok = sender(
      async (_url, init) => {
        seen = { headers: new Headers(init?.headers), body: String(init?.body) };
        return new Response("ok");
      },
      { now: () => 1_700_000_000_999 },
    );
    await ok.send(message);
    expect(seen!.headers.get("webhook-timestamp")).toBe("1700000000");
    expect(JSON.parse(seen!.body)).toEqual({ channel: "sms", to: message.to, code: "123456", expires_in: 600, usage: "SIGN_IN" });
    const expected = await signWebhook(await importWebhookKey("s"), seen!.headers.get("webhook-id")!, 1700000000, seen!.body);
    expect(seen!.headers.get("webhook-signature")).toBe(expected);
  });

  it("gives up after its timeout: 503 unavailable, with a cause that names neither contact nor code", async () => {
    const hanging = sender(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
        }),
      { timeoutMs: 30 },
    );
    const err = await failure(hanging.send(message));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).error).toBe("unavailable");
    const cause = String((err as ApiError).options.cause);
    expect(cause).toContain("TimeoutError");
    expect(cause).not.toContain("123456");
    expect(cause).not.toContain("13800138000");
    expect(cause).not.toContain("hooks.test");
  });

  it("treats any non-2xx as a failed delivery", async () => {
    for (const status of [301, 400, 404, 500, 503]) {
      const err = await failure(sender(async () => new Response(null, { status })).send(message));
      expect((err as ApiError).error).toBe("unavailable");
    }
  });

  it("a channel without its URL is a configuration error naming the variable", async () => {
    const err = await failure(sender(async () => new Response("ok")).send({ ...message, channel: "email", to: "a@b.co" }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(String(err)).toContain("EMAIL_WEBHOOK_URL");
  });
});
