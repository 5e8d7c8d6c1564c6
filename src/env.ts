// The bindings, variables and secrets the Worker receives. Values are validated in config.ts.

export interface Env {
  DB: D1Database;
  ACCOUNT_GUARD: DurableObjectNamespace<import("./lockout/account-guard-object").AccountGuard>;
  /** Workers Static Assets (./public): the API reference renderer. */
  ASSETS?: Fetcher;
  RATE_WINDOWS: DurableObjectNamespace<import("./limits/rate-window-object").RateWindow>;
  /** Cloudflare Email, used for email codes when EMAIL_SENDER=cloudflare. */
  SEND_EMAIL?: SendEmail;
  [name: string]: unknown;
}
