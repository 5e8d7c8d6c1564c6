// Delivery through the operator's own webhook (SMS_WEBHOOK_URL / EMAIL_WEBHOOK_URL): a signed JSON
// POST. Anything but a 2xx within the timeout is a failed send (503 `unavailable`); the cause
// logged names only the status or the error kind, never the URL, the contact or the code.
import { ConfigError } from "../config";
import { ApiError } from "../errors";
import { randomToken } from "../crypto/random";
import type { CodeMessage, CodeSender } from "./sender";
import { importWebhookKey, signWebhook } from "./webhook-signature";

export const WEBHOOK_TIMEOUT_MS = 5_000;

export interface WebhookSenderOptions {
  secret: string;
  urls: { sms?: string; email?: string };
  timeoutMs?: number;
  /** Injectable for unit tests; defaults to the global fetch at call time. */
  fetch?: typeof fetch;
  now?: () => number;
}

export class WebhookSender implements CodeSender {
  private readonly key: Promise<CryptoKey>;

  constructor(private readonly options: WebhookSenderOptions) {
    this.key = importWebhookKey(options.secret);
  }

  async send(message: CodeMessage): Promise<void> {
    const url = this.options.urls[message.channel];
    if (!url) {
      const name = message.channel === "sms" ? "SMS_WEBHOOK_URL" : "EMAIL_WEBHOOK_URL";
      throw new ConfigError(`Configuration variable ${name} is required when SENDER=webhook`);
    }
    const body = JSON.stringify({
      channel: message.channel,
      to: message.to,
      code: message.code,
      expires_in: message.expiresIn,
      usage: message.usage,
    });
    const id = `msg_${randomToken(16)}`;
    const timestamp = Math.floor((this.options.now?.() ?? Date.now()) / 1000);
    const signature = await signWebhook(await this.key, id, timestamp, body);
    const doFetch = this.options.fetch ?? ((input, init) => fetch(input, init));
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signature,
        },
        body,
        // A redirect is a failed delivery: following it would hand the code to another host.
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
      });
    } catch (err) {
      const kind = err instanceof Error ? err.name : "unknown";
      throw new ApiError("unavailable", { cause: new Error(`code webhook (${message.channel}) failed: ${kind}`) });
    }
    // The body is not needed; cancel it so the connection is freed.
    await response.body?.cancel();
    if (!response.ok) {
      throw new ApiError("unavailable", {
        cause: new Error(`code webhook (${message.channel}) answered HTTP ${response.status}`),
      });
    }
  }
}
