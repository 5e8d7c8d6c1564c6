// Email codes through Cloudflare's `send_email` binding (EMAIL_SENDER=cloudflare): no webhook to
// run for email. A failed send is 503 `unavailable`; the logged cause names only the error kind.
import { ApiError } from "../errors";
import type { CodeMessage, CodeSender } from "./sender";

const SUBJECTS: Record<CodeMessage["usage"], string> = {
  SIGN_IN: "Your sign-in code",
  REGISTER: "Your sign-up code",
  PASSWORD_RESET: "Your password reset code",
  REAUTHENTICATION: "Your confirmation code",
};

export function emailText(message: CodeMessage): string {
  const minutes = Math.round(message.expiresIn / 60);
  return `Your code is ${message.code}. It expires in ${minutes} minutes.\n\nIf you did not ask for it, ignore this email.\n`;
}

export class CloudflareEmailSender implements CodeSender {
  constructor(
    private readonly binding: SendEmail,
    private readonly from: string,
  ) {}

  async send(message: CodeMessage): Promise<void> {
    if (message.channel !== "email") throw new Error("CloudflareEmailSender sends email only");
    try {
      await this.binding.send({ from: this.from, to: message.to, subject: SUBJECTS[message.usage], text: emailText(message) });
    } catch (err) {
      const kind = err instanceof Error ? err.name : "unknown";
      throw new ApiError("unavailable", { cause: new Error(`send_email binding failed: ${kind}`) });
    }
  }
}
