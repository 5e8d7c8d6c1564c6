// A call to an identity provider that failed (timeout, network, a refused or malformed answer).
// The message names the provider and the step; the cause is for the log line, and oauth4webapi's
// and jose's errors carry no secrets (no client secret, code or token in their messages), nor do
// those of src/providers/provider-fetch.ts (never the URL: WeChat's holds the app secret).

export class ProviderCallError extends Error {
  override readonly name = "ProviderCallError";

  constructor(
    readonly provider: string,
    readonly step: "discovery" | "token" | "userinfo" | "jwks",
    cause: unknown,
  ) {
    super(`provider ${provider}: ${step} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
  }
}
