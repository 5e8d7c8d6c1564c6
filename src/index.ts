// Worker entry: the app's fetch handler, the daily clean-up, and the Durable Object classes.
import { createApp } from "./app";
import type { Env } from "./env";
import { purgeExpired } from "./storage/maintenance";

export { AccountGuard } from "./accounts/account-object";
export { RateWindow } from "./limits/rate-window-object";
export { ContactVerifier } from "./contacts/contact-object";
export { CaptchaChallenge } from "./captcha/challenge-object";

const app = createApp();

export default {
  fetch: app.fetch,
  /** The cron trigger of wrangler.toml: removes expired sessions, codes and captcha rows. */
  async scheduled(controller, env) {
    const counts = await purgeExpired(env.DB, controller.scheduledTime);
    console.log(JSON.stringify({ type: "maintenance", cron: controller.cron, purged: counts }));
  },
} satisfies ExportedHandler<Env>;
