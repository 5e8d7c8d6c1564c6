// Variables and secrets -> a typed Config, parsed once per environment object. A bad value fails
// loudly (the error names the variable); there is no silent fallback.
import * as v from "valibot";
import { perSwitchVariable, switchDefaults, type SwitchName } from "./auth/switch-table";
import type { ContactPolicy } from "./auth/verification-limits";
import { MAX_HASH_ROUNDS } from "./crypto/password";
import { parseProviders, parseRedirectAllowList, type ProviderConfig } from "./providers/provider-config";

const positiveInt = (fallback: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.regex(/^[1-9][0-9]{0,9}$/, "must be a positive integer"),
    v.transform(Number),
  );

const bool = (fallback: boolean) =>
  v.pipe(
    v.optional(v.picklist(["true", "false"], "must be true or false"), String(fallback) as "true" | "false"),
    v.transform((value) => value === "true"),
  );

const optionalSecret = v.pipe(
  v.optional(v.string()),
  v.transform((value) => (value === undefined || value === "" ? undefined : value)),
);

const optionalUrl = v.optional(v.union([v.literal(""), v.pipe(v.string(), v.url("must be a URL"))]));

/** A variable read by `parse`, which returns the value or a message saying what is wrong. */
const parsedWith = <T extends object>(fallback: string, parse: (text: string) => T | string) =>
  v.pipe(
    v.optional(v.string(), fallback),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const parsed = parse(dataset.value);
      if (typeof parsed === "string") {
        addIssue({ message: parsed });
        return NEVER;
      }
      return parsed;
    }),
  );

const stringList = v.pipe(
  v.optional(v.string(), ""),
  v.transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean)),
);

const ConfigSchema = v.object({
  /** `production` turns on the refusals of unsafe settings (productionProblems). */
  ENVIRONMENT: v.optional(v.string(), ""),
  ISSUER: v.pipe(v.string("is required"), v.nonEmpty("is required")),
  AUDIENCE: v.pipe(v.string("is required"), v.nonEmpty("is required")),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(7200),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt(2_592_000),
  SESSION_MAX_AGE_SECONDS: positiveInt(7_776_000),
  REFRESH_REUSE_GRACE_SECONDS: positiveInt(10),
  CAPTCHA_AFTER_FAILURES: positiveInt(3),
  LOCK_AFTER_FAILURES: positiveInt(10),
  LOCK_SECONDS: positiveInt(900),
  FAILURE_WINDOW_SECONDS: positiveInt(86_400),
  IP_FAILURES_PER_HOUR: positiveInt(100),
  PASSWORD_MIN_LENGTH: positiveInt(8),
  SENDS_PER_CONTACT_PER_DAY: positiveInt(20),
  WRONG_CODES_PER_CONTACT_PER_HOUR: positiveInt(10),
  SENDS_PER_DAY: positiveInt(10_000),
  SENDS_PER_IP_PER_HOUR: positiveInt(30),
  IP_V6_PREFIX_LENGTH: v.pipe(positiveInt(64), v.maxValue(128, "must be between 1 and 128")),
  PROVIDER_FLOWS_PER_IP_PER_HOUR: positiveInt(60),
  CORS_ORIGINS: stringList,
  SENDER: v.optional(v.picklist(["console", "webhook"], "must be console or webhook"), "console"),
  SMS_WEBHOOK_URL: optionalUrl,
  EMAIL_WEBHOOK_URL: optionalUrl,
  EMAIL_SENDER: v.optional(v.picklist(["webhook", "cloudflare"], "must be webhook or cloudflare"), "webhook"),
  EMAIL_FROM: v.optional(v.union([v.literal(""), v.pipe(v.string(), v.email("must be an email address"))])),
  CAPTCHA_PROVIDER: v.optional(v.picklist(["image", "turnstile"], "must be image or turnstile"), "image"),
  CAPTCHA_TOKEN_TTL_SECONDS: positiveInt(10),
  TURNSTILE_SITE_KEY: v.optional(v.string(), ""),
  TURNSTILE_HOSTNAMES: stringList,
  TURNSTILE_ACTION: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 of A-Z a-z 0-9 _ -")), "signin"),
  TURNSTILE_SITEVERIFY_URL: v.optional(
    v.pipe(v.string(), v.url("must be a URL")),
    "https://challenges.cloudflare.com/turnstile/v0/siteverify",
  ),
  TEST_OTP: v.pipe(
    v.optional(v.string(), "{}"),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        const parsed: unknown = JSON.parse(dataset.value);
        const codes = v.parse(v.record(v.string(), v.pipe(v.string(), v.regex(/^[0-9]{6}$/))), parsed);
        return new Map(Object.entries(codes));
      } catch {
        addIssue({ message: "must be a JSON object of contact -> 6-digit code" });
        return NEVER;
      }
    }),
  ),
  PASSWORD_HASH_ROUNDS: v.pipe(positiveInt(1), v.maxValue(MAX_HASH_ROUNDS, `must be between 1 and ${MAX_HASH_ROUNDS}`)),
  ...perSwitchVariable(bool),
  AUTH_PROVIDERS: parsedWith("[]", parseProviders),
  PROVIDER_REDIRECT_URIS: parsedWith("", parseRedirectAllowList),
  PROVIDER_CALLBACK_URL: optionalUrl,
  ANONYMOUS_SIGNINS_PER_IP_PER_HOUR: positiveInt(20),
  ADMIN_FAILURES_PER_IP_PER_HOUR: positiveInt(10),
  CAPTCHAS_PER_IP_PER_HOUR: positiveInt(100),
  JWT_SIGNING_KEYS: v.pipe(v.string("is required (a JWK Set of private keys)"), v.nonEmpty("is required")),
  ADMIN_API_TOKEN: optionalSecret,
  WEBHOOK_SECRET: optionalSecret,
  TURNSTILE_SECRET: optionalSecret,
  PASSWORD_PEPPER: optionalSecret,
});

type RawConfig = v.InferOutput<typeof ConfigSchema>;

export interface Config {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionMaxAgeSeconds: number;
  refreshReuseGraceSeconds: number;
  lockout: LockoutPolicy;
  ipFailuresPerHour: number;
  /** Per-contact send budget and wrong-code budget (src/auth/verification-limits.ts). */
  contactPolicy: ContactPolicy;
  /** Codes per channel per day for the whole service (src/auth/send-budget.ts). */
  sendsPerDay: number;
  sendsPerIpPerHour: number;
  /** IPv6 clients are limited per prefix of this many bits (src/limits/ip-key.ts). */
  ipV6PrefixLength: number;
  /** Provider sign-in flows one IP may start per hour (each keeps state for a while). */
  providerFlowsPerIpPerHour: number;
  /** The fewest code points (after NFKC) a password being set may have. */
  passwordMinLength: number;
  /** Guests one IP may create per fixed hour. */
  anonymousSigninsPerIpPerHour: number;
  corsOrigins: string[];
  sender: "console" | "webhook";
  smsWebhookUrl?: string;
  emailWebhookUrl?: string;
  /** With SENDER=webhook, email codes go to EMAIL_WEBHOOK_URL or through the send_email binding. */
  emailSender: "webhook" | "cloudflare";
  emailFrom?: string;
  captchaProvider: "image" | "turnstile";
  captchaTokenTtlSeconds: number;
  turnstileSiteKey: string;
  turnstileSiteverifyUrl: string;
  /** Hostnames a Turnstile answer must name (the sites that render the widget). */
  turnstileHostnames: string[];
  /** The action the widget is rendered with; an answer for any other is refused. */
  turnstileAction: string;
  testOtp: Map<string, string>;
  /** Identity providers (AUTH_PROVIDERS), by id in configuration order. */
  providers: Map<string, ProviderConfig>;
  /** App pages a provider flow may return to (PROVIDER_REDIRECT_URIS): exact pages and `<origin>/*`. */
  providerRedirectUris: string[];
  /** Where providers send users back to: PROVIDER_CALLBACK_URL, or ISSUER + /auth/v1/provider/callback. */
  providerCallbackUrl: string;
  settingDefaults: Settings;
  jwtSigningKeys: string;
  adminApiToken?: string;
  /** Failed admin authentications one IP may make per fixed hour (src/auth/admin-authentication.ts). */
  adminFailuresPerIpPerHour: number;
  /** Image challenges one IP may ask for per hour (src/auth/per-ip-hourly.ts). */
  captchasPerIpPerHour: number;
  webhookSecret?: string;
  turnstileSecret?: string;
  passwordPepper?: string;
  /** Chained PBKDF2 runs for new hashes (src/crypto/password.ts). */
  passwordHashRounds: number;
}

/** The lockout thresholds of docs/protocol.md §2; pure policy code takes this, not the whole Config. */
export interface LockoutPolicy {
  captchaAfterFailures: number;
  lockAfterFailures: number;
  lockSeconds: number;
  failureWindowSeconds: number;
}

/** Admin switches (docs/protocol.md §4); defaults come from variables, overrides from D1. */
export type Settings = { [K in SwitchName]: boolean } & {
  /** Per provider id: whether sign-in with it is on (default: the entry's `signin`, true). */
  provider_signin: Record<string, boolean>;
};

export class ConfigError extends Error {
  override readonly name: string = "ConfigError";
}

/** A configuration that works but is unsafe where ENVIRONMENT=production: every request answers 503. */
export class UnsafeConfigError extends ConfigError {
  override readonly name = "UnsafeConfigError";
}

function toConfig(raw: RawConfig): Config {
  return {
    issuer: raw.ISSUER,
    audience: raw.AUDIENCE,
    accessTokenTtlSeconds: raw.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: raw.REFRESH_TOKEN_TTL_SECONDS,
    sessionMaxAgeSeconds: raw.SESSION_MAX_AGE_SECONDS,
    refreshReuseGraceSeconds: raw.REFRESH_REUSE_GRACE_SECONDS,
    lockout: {
      captchaAfterFailures: raw.CAPTCHA_AFTER_FAILURES,
      lockAfterFailures: raw.LOCK_AFTER_FAILURES,
      lockSeconds: raw.LOCK_SECONDS,
      failureWindowSeconds: raw.FAILURE_WINDOW_SECONDS,
    },
    ipFailuresPerHour: raw.IP_FAILURES_PER_HOUR,
    contactPolicy: { sendsPerDay: raw.SENDS_PER_CONTACT_PER_DAY, wrongCodesPerHour: raw.WRONG_CODES_PER_CONTACT_PER_HOUR },
    sendsPerDay: raw.SENDS_PER_DAY,
    sendsPerIpPerHour: raw.SENDS_PER_IP_PER_HOUR,
    ipV6PrefixLength: raw.IP_V6_PREFIX_LENGTH,
    providerFlowsPerIpPerHour: raw.PROVIDER_FLOWS_PER_IP_PER_HOUR,
    passwordMinLength: raw.PASSWORD_MIN_LENGTH,
    anonymousSigninsPerIpPerHour: raw.ANONYMOUS_SIGNINS_PER_IP_PER_HOUR,
    corsOrigins: raw.CORS_ORIGINS,
    sender: raw.SENDER,
    smsWebhookUrl: raw.SMS_WEBHOOK_URL || undefined,
    emailWebhookUrl: raw.EMAIL_WEBHOOK_URL || undefined,
    emailSender: raw.EMAIL_SENDER,
    emailFrom: raw.EMAIL_FROM || undefined,
    captchaProvider: raw.CAPTCHA_PROVIDER,
    captchaTokenTtlSeconds: raw.CAPTCHA_TOKEN_TTL_SECONDS,
    turnstileSiteKey: raw.TURNSTILE_SITE_KEY,
    turnstileSiteverifyUrl: raw.TURNSTILE_SITEVERIFY_URL,
    turnstileHostnames: raw.TURNSTILE_HOSTNAMES.map((hostname) => hostname.toLowerCase()),
    turnstileAction: raw.TURNSTILE_ACTION,
    testOtp: raw.TEST_OTP,
    providers: new Map(raw.AUTH_PROVIDERS.map((provider) => [provider.id, provider])),
    providerRedirectUris: raw.PROVIDER_REDIRECT_URIS,
    providerCallbackUrl: raw.PROVIDER_CALLBACK_URL || `${raw.ISSUER.replace(/\/+$/, "")}/auth/v1/provider/callback`,
    settingDefaults: {
      ...switchDefaults(raw),
      provider_signin: Object.fromEntries(raw.AUTH_PROVIDERS.map((provider) => [provider.id, provider.signin])),
    },
    jwtSigningKeys: raw.JWT_SIGNING_KEYS,
    adminApiToken: raw.ADMIN_API_TOKEN,
    adminFailuresPerIpPerHour: raw.ADMIN_FAILURES_PER_IP_PER_HOUR,
    captchasPerIpPerHour: raw.CAPTCHAS_PER_IP_PER_HOUR,
    webhookSecret: raw.WEBHOOK_SECRET,
    turnstileSecret: raw.TURNSTILE_SECRET,
    passwordPepper: raw.PASSWORD_PEPPER,
    passwordHashRounds: raw.PASSWORD_HASH_ROUNDS,
  };
}

/** Parses variables and secrets; throws ConfigError naming the first bad variable. Never echoes a value. */
export function parseConfig(env: Record<string, unknown>): Config {
  const result = v.safeParse(ConfigSchema, env);
  if (!result.success) {
    const issue = result.issues[0];
    const name = issue.path?.[0]?.key;
    throw new ConfigError(`Configuration variable ${String(name ?? "?")} ${issue.message}`);
  }
  const raw = result.output;
  if (raw.ENVIRONMENT === "production") {
    const problems = productionProblems(raw, env);
    if (problems.length > 0) throw new UnsafeConfigError(`Unsafe configuration for production: ${problems.join("; ")}`);
  }
  const mismatch = crossFieldProblem(raw);
  if (mismatch) throw new ConfigError(`Configuration variable ${mismatch}`);
  return toConfig(raw);
}

/** Settings that must go together, checked in every environment; the first one missing, or none. */
function crossFieldProblem(raw: RawConfig): string | undefined {
  if (raw.LOCK_AFTER_FAILURES < raw.CAPTCHA_AFTER_FAILURES) return "LOCK_AFTER_FAILURES must not be below CAPTCHA_AFTER_FAILURES";
  if (raw.CAPTCHA_PROVIDER === "turnstile" && !raw.TURNSTILE_SECRET) return "TURNSTILE_SECRET is required with CAPTCHA_PROVIDER=turnstile";
  if (raw.CAPTCHA_PROVIDER === "turnstile" && raw.TURNSTILE_HOSTNAMES.length === 0) {
    return "TURNSTILE_HOSTNAMES is required with CAPTCHA_PROVIDER=turnstile";
  }
  if (raw.SENDER === "webhook") {
    if (!raw.WEBHOOK_SECRET) return "WEBHOOK_SECRET is required with SENDER=webhook";
    // One channel may be left out (a deployment that sends only email); with no route at all
    // nothing could ever be delivered.
    if (!raw.SMS_WEBHOOK_URL && !raw.EMAIL_WEBHOOK_URL && raw.EMAIL_SENDER !== "cloudflare") {
      return "SMS_WEBHOOK_URL or EMAIL_WEBHOOK_URL is required with SENDER=webhook";
    }
  }
  if (raw.EMAIL_SENDER === "cloudflare" && !raw.EMAIL_FROM) return "EMAIL_FROM is required with EMAIL_SENDER=cloudflare";
  return undefined;
}

/** What ENVIRONMENT=production refuses (docs/security.md); each problem names its variable, never a value. */
function productionProblems(raw: RawConfig, env: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (raw.SENDER === "console") problems.push("SENDER=console logs codes instead of delivering them");
  if (typeof env.TEST_OTP === "string" && env.TEST_OTP.trim() !== "") problems.push("TEST_OTP must not be set");
  if (raw.ADMIN_API_TOKEN !== undefined && raw.ADMIN_API_TOKEN.length < 32) problems.push("ADMIN_API_TOKEN must be at least 32 characters");
  if (raw.CORS_ORIGINS.length === 0) problems.push("CORS_ORIGINS must list the apps' origins");
  if (raw.CORS_ORIGINS.includes("*")) problems.push("CORS_ORIGINS must not contain *");
  if (raw.CAPTCHA_PROVIDER === "turnstile" && !raw.TURNSTILE_SECRET) problems.push("TURNSTILE_SECRET is required with CAPTCHA_PROVIDER=turnstile");
  return problems;
}

// Workers hand the same env object to every request of an isolate, so this parses once.
const parsed = new WeakMap<object, Config>();

export function configFor(env: object): Config {
  let config = parsed.get(env);
  if (!config) {
    config = parseConfig(env as Record<string, unknown>);
    parsed.set(env, config);
  }
  return config;
}
