// The port every code delivery goes through, and the choice of implementation from SENDER.
import { ConfigError, type Config } from "../config";
import type { Usage } from "../auth/verification-contact";
import { consoleSender } from "./console-sender";
import { WebhookSender } from "./webhook-sender";

export interface CodeMessage {
  channel: "sms" | "email";
  /** The normalised contact: "+86 13800138000" or "user@example.com". */
  to: string;
  code: string;
  expiresIn: number;
  usage: Usage;
}

/** Delivers one code; throws (an ApiError "unavailable" for delivery failures) when it did not go out. */
export interface CodeSender {
  send(message: CodeMessage): Promise<void>;
}

const webhookSenders = new WeakMap<Config, WebhookSender>();

/** The sender SENDER names. A webhook sender without its secret is a configuration error, not a 503. */
export function codeSenderFor(config: Config): CodeSender {
  if (config.sender === "console") return consoleSender;
  let sender = webhookSenders.get(config);
  if (!sender) {
    if (!config.webhookSecret) throw new ConfigError("Configuration variable WEBHOOK_SECRET is required when SENDER=webhook");
    sender = new WebhookSender({
      secret: config.webhookSecret,
      urls: { sms: config.smsWebhookUrl, email: config.emailWebhookUrl },
    });
    webhookSenders.set(config, sender);
  }
  return sender;
}
