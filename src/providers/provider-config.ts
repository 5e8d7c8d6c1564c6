// The identity providers an operator configures in AUTH_PROVIDERS (a JSON array), and the app
// pages a provider flow may return to (PROVIDER_REDIRECT_URIS). Parsed once with the rest of the
// config (src/config.ts); a bad entry fails loudly with its index and field, never its value.
import * as v from "valibot";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** https, or http to this machine (a local provider in development and tests). */
export function isSecureUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

const SecureUrl = v.pipe(v.string(), v.check(isSecureUrl, "must be an https URL (http only for 127.0.0.1 or localhost)"));
const Text = v.pipe(v.string(), v.nonEmpty("must not be empty"), v.maxLength(512));

const common = {
  id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be 1-32 of a-z, 0-9, _ and -, starting with a letter or digit")),
  name: v.optional(v.pipe(v.string(), v.maxLength(64))),
  client_id: Text,
  client_secret: v.optional(Text),
  scope: v.optional(v.pipe(v.string(), v.maxLength(512))),
  /** The default of the `provider_signin` switch of this provider. */
  signin: v.optional(v.boolean(), true),
  /**
   * A new identity signs up at once (when the `signup` switch is on); false: sign-in answers
   * user_not_found and the app continues with POST /auth/v1/signup {provider_token}.
   */
  auto_signup: v.optional(v.boolean(), true),
  /** Link a new identity to the user who has the email the provider asserts as verified. */
  link_verified_email: v.optional(v.boolean(), false),
  /** Every call to the provider gives up after this long and fails closed. */
  timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(30_000)), 5_000),
};

const OidcEntry = v.strictObject({
  ...common,
  type: v.literal("oidc"),
  issuer: SecureUrl,
  /** Overrides of what discovery says (a provider without discovery, or a test double). */
  authorization_endpoint: v.optional(SecureUrl),
  token_endpoint: v.optional(SecureUrl),
  jwks_uri: v.optional(SecureUrl),
  /** Audiences accepted for ID tokens sent to /signin/with/provider besides client_id. */
  id_token_audiences: v.optional(v.array(Text)),
});

const GithubEntry = v.strictObject({
  ...common,
  type: v.literal("github"),
  client_secret: Text,
  authorization_endpoint: v.optional(SecureUrl, "https://github.com/login/oauth/authorize"),
  token_endpoint: v.optional(SecureUrl, "https://github.com/login/oauth/access_token"),
  api_url: v.optional(SecureUrl, "https://api.github.com"),
});

const WechatEntry = v.strictObject({
  ...common,
  type: v.literal("wechat"),
  client_secret: Text,
  authorization_endpoint: v.optional(SecureUrl, "https://open.weixin.qq.com/connect/qrconnect"),
  token_endpoint: v.optional(SecureUrl, "https://api.weixin.qq.com/sns/oauth2/access_token"),
  userinfo_endpoint: v.optional(SecureUrl, "https://api.weixin.qq.com/sns/userinfo"),
});

const ProvidersSchema = v.pipe(
  v.array(v.variant("type", [OidcEntry, GithubEntry, WechatEntry], 'type must be "oidc", "github" or "wechat"')),
  v.check((entries) => new Set(entries.map((entry) => entry.id)).size === entries.length, "ids must be unique"),
);

export type OidcProviderConfig = v.InferOutput<typeof OidcEntry>;
export type GithubProviderConfig = v.InferOutput<typeof GithubEntry>;
export type WechatProviderConfig = v.InferOutput<typeof WechatEntry>;
export type ProviderConfig = OidcProviderConfig | GithubProviderConfig | WechatProviderConfig;

function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => (typeof item.key === "number" ? `[${item.key}]` : `.${String(item.key)}`)).join("");
}

/** The entries, or a message for the first problem (naming the entry and field, never a value). */
export function parseProviders(text: string): ProviderConfig[] | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "must be a JSON array of provider entries";
  }
  const result = v.safeParse(ProvidersSchema, json);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issuePath(issue);
  return `${path ? `${path.replace(/^\./, "")}: ` : ""}${issue.message}`;
}

/**
 * The allow-list of app pages: each entry is a page (`https://app.example/login`, matched exactly)
 * or a whole origin (`https://app.example/*`).
 */
export function parseRedirectAllowList(text: string): string[] | string {
  const entries = text.split(",").map((item) => item.trim()).filter(Boolean);
  for (const entry of entries) {
    const page = entry.endsWith("/*") ? entry.slice(0, -1) : entry;
    if (!isSecureUrl(page)) return `entry "${entry}" must be an https URL (http only for 127.0.0.1 or localhost)`;
    const url = new URL(page);
    if (url.search || url.hash || url.username || url.password || `${url.origin}${url.pathname}` !== page) {
      return `entry "${entry}" must be an origin and path only (no query, fragment or credentials)`;
    }
  }
  return entries;
}

/** Whether `page` (an app page as the clients send it: origin + path) is on the allow-list. */
export function isAllowedRedirect(allowList: readonly string[], page: string): boolean {
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return false;
  }
  // The clients send origin + path; anything else (a query, credentials, an odd spelling) is refused.
  if (`${url.origin}${url.pathname}` !== page) return false;
  return allowList.some((entry) => (entry.endsWith("/*") ? url.origin === new URL(entry.slice(0, -1)).origin : entry === page));
}
