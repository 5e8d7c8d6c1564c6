// Development delivery: one log line with the channel, the recipient and the code. This line is
// the only place in the service where a code or a contact is ever logged.
import type { CodeSender } from "./sender";

export const consoleSender: CodeSender = {
  async send(message) {
    console.log(
      JSON.stringify({
        type: "verification_code",
        channel: message.channel,
        to: message.to,
        code: message.code,
        usage: message.usage,
        expires_in: message.expiresIn,
      }),
    );
  },
};
