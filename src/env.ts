// The bindings, variables and secrets the Worker receives. Values are validated in config.ts.

export interface Env {
  DB: D1Database;
  ACCOUNT_GUARD: DurableObjectNamespace<import("./accounts/account-object").AccountGuard>;
  /** Workers Static Assets (./public): the API reference renderer. */
  ASSETS?: Fetcher;
  CONTACTS: DurableObjectNamespace<import("./contacts/contact-object").ContactVerifier>;
  CAPTCHA_CHALLENGES: DurableObjectNamespace<import("./captcha/challenge-object").CaptchaChallenge>;
  PROVIDER_FLOWS: DurableObjectNamespace<import("./providers/flow-object").ProviderFlow>;
  RATE_WINDOWS: DurableObjectNamespace<import("./limits/rate-window-object").RateWindow>;
  /** Cloudflare Email, used for email codes when EMAIL_SENDER=cloudflare. */
  SEND_EMAIL?: SendEmail;
  [name: string]: unknown;
}
