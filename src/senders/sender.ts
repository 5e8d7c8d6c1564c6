// The port every code delivery goes through, and the choice of implementation from SENDER.
import { ConfigError, type Config } from "../config";
import type { Env } from "../env";
import { CloudflareEmailSender } from "./cloudflare-email-sender";
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

function webhookSenderFor(config: Config): WebhookSender {
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

function cloudflareEmailSenderFor(config: Config, env: Env): CloudflareEmailSender {
  if (!env.SEND_EMAIL) throw new ConfigError("EMAIL_SENDER=cloudflare needs a send_email binding named SEND_EMAIL");
  if (!config.emailFrom) throw new ConfigError("Configuration variable EMAIL_FROM is required when EMAIL_SENDER=cloudflare");
  return new CloudflareEmailSender(env.SEND_EMAIL, config.emailFrom);
}

/**
 * The sender for a message: SENDER=console logs it; SENDER=webhook posts it to the channel's
 * webhook, except email with EMAIL_SENDER=cloudflare, which goes through the send_email binding.
 * A missing secret, URL or binding is a configuration error, not a 503.
 */
export function codeSenderFor(config: Config, env: Env, channel: CodeMessage["channel"]): CodeSender {
  if (config.sender === "console") return consoleSender;
  if (channel === "email" && config.emailSender === "cloudflare") return cloudflareEmailSenderFor(config, env);
  return webhookSenderFor(config);
}
