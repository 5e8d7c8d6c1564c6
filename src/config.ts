// Variables and secrets -> a typed Config, parsed once per environment object. A bad value fails
// loudly (the error names the variable); there is no silent fallback.
import * as v from "valibot";

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

const stringList = v.pipe(
  v.optional(v.string(), ""),
  v.transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean)),
);

const ConfigSchema = v.object({
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
  SENDS_PER_IP_PER_HOUR: positiveInt(30),
  CORS_ORIGINS: stringList,
  SENDER: v.optional(v.picklist(["console", "webhook"], "must be console or webhook"), "console"),
  SMS_WEBHOOK_URL: optionalUrl,
  EMAIL_WEBHOOK_URL: optionalUrl,
  EMAIL_SENDER: v.optional(v.picklist(["webhook", "cloudflare"], "must be webhook or cloudflare"), "webhook"),
  EMAIL_FROM: v.optional(v.union([v.literal(""), v.pipe(v.string(), v.email("must be an email address"))])),
  CAPTCHA_PROVIDER: v.optional(v.picklist(["image", "turnstile"], "must be image or turnstile"), "image"),
  CAPTCHA_TOKEN_TTL_SECONDS: positiveInt(10),
  TURNSTILE_SITE_KEY: v.optional(v.string(), ""),
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
  USERNAME_PASSWORD_SIGNIN: bool(true),
  VERIFICATION_SIGNIN: bool(true),
  SIGNUP: bool(true),
  ANONYMOUS_SIGNIN: bool(false),
  ANONYMOUS_SIGNINS_PER_IP_PER_HOUR: positiveInt(20),
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
  /** The fewest code points (after NFKC) a password being set may have. */
  passwordMinLength: number;
  sendsPerContactPerDay: number;
  sendsPerIpPerHour: number;
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
  testOtp: Map<string, string>;
  settingDefaults: Settings;
  jwtSigningKeys: string;
  adminApiToken?: string;
  webhookSecret?: string;
  turnstileSecret?: string;
  passwordPepper?: string;
}

/** The lockout thresholds of contract §2; pure policy code takes this, not the whole Config. */
export interface LockoutPolicy {
  captchaAfterFailures: number;
  lockAfterFailures: number;
  lockSeconds: number;
  failureWindowSeconds: number;
}

/** Admin switches (contract §4); defaults come from variables, overrides from D1. */
export interface Settings {
  username_password_signin: boolean;
  verification_signin: boolean;
  signup: boolean;
  anonymous_signin: boolean;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
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
    passwordMinLength: raw.PASSWORD_MIN_LENGTH,
    sendsPerContactPerDay: raw.SENDS_PER_CONTACT_PER_DAY,
    sendsPerIpPerHour: raw.SENDS_PER_IP_PER_HOUR,
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
    testOtp: raw.TEST_OTP,
    settingDefaults: {
      username_password_signin: raw.USERNAME_PASSWORD_SIGNIN,
      verification_signin: raw.VERIFICATION_SIGNIN,
      signup: raw.SIGNUP,
      anonymous_signin: raw.ANONYMOUS_SIGNIN,
    },
    jwtSigningKeys: raw.JWT_SIGNING_KEYS,
    adminApiToken: raw.ADMIN_API_TOKEN,
    webhookSecret: raw.WEBHOOK_SECRET,
    turnstileSecret: raw.TURNSTILE_SECRET,
    passwordPepper: raw.PASSWORD_PEPPER,
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
  if (result.output.LOCK_AFTER_FAILURES < result.output.CAPTCHA_AFTER_FAILURES) {
    throw new ConfigError("Configuration variable LOCK_AFTER_FAILURES must not be below CAPTCHA_AFTER_FAILURES");
  }
  return toConfig(result.output);
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
