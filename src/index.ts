// Worker entry: the app's fetch handler and the Durable Object classes. (Clean-up needs no cron:
// each object sweeps its own state with an alarm, and D1 holds only users and settings.)
import { createApp } from "./app";
import type { Env } from "./env";

export { AccountGuard } from "./accounts/account-object";
export { RateWindow } from "./limits/rate-window-object";
export { ContactVerifier } from "./contacts/contact-object";
export { CaptchaChallenge } from "./captcha/challenge-object";
export { ProviderFlow } from "./providers/flow-object";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
