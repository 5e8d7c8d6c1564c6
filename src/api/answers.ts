// What the endpoints answer, as valibot schemas: the one definition of each answer's shape. The
// operations declare them (src/routes/operation.ts), the handlers' return types and the typed
// client's types are inferred from them, the OpenAPI document converts them, and the tests'
// recorder checks every answer it sees against them. Objects are strict: a field added to an
// answer without adding it here fails the tests.
import * as v from "valibot";
import { switchBooleans } from "../auth/switch-table";
import { ERRORS, type ErrorName } from "../errors";

const ERROR_NAMES = Object.keys(ERRORS) as [ErrorName, ...ErrorName[]];
const ERROR_CODES = ERROR_NAMES.map((name) => ERRORS[name].code);

const describe = <T extends v.GenericSchema>(schema: T, description: string) =>
  v.pipe(schema, v.description(description));

export const TokenResponse = v.strictObject({
  token_type: v.literal("Bearer"),
  access_token: describe(v.string(), "An ES256 (or EdDSA) JWT; verify it against the JWKS."),
  refresh_token: describe(v.string(), "Opaque; rotated on every use of POST /auth/v1/token."),
  expires_in: describe(v.pipe(v.number(), v.integer()), "The access token's lifetime in seconds."),
  sub: describe(v.pipe(v.string(), v.regex(/^[1-9][0-9]{18}$/)), "The user id: 19 decimal digits."),
  scope: v.optional(
    describe(v.picklist(["user", "anonymous"]), "`anonymous` for a guest, `user` otherwise (on a refresh: as the user's row on a nearby replica says)."),
  ),
});

const nullableText = v.nullable(v.string());

export const User = v.strictObject({
  sub: v.pipe(v.string(), v.regex(/^[1-9][0-9]{18}$/)),
  username: nullableText,
  name: nullableText,
  picture: describe(nullableText, "An https URL (the avatar)."),
  gender: v.nullable(v.picklist(["MALE", "FEMALE", "UNKNOWN"])),
  description: nullableText,
  phone_number: describe(nullableText, "Spaced form, e.g. `+86 13800138000`."),
  email: describe(nullableText, "Lower-cased."),
  status: v.picklist(["ACTIVE", "BLOCKED"]),
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  updated_at: v.pipe(v.string(), v.isoTimestamp()),
  has_password: v.boolean(),
});

export const ErrorBody = v.strictObject({
  error: describe(v.picklist(ERROR_NAMES), "Stable snake_case name: what clients branch on."),
  error_code: describe(v.picklist(ERROR_CODES), "Stable integer, one per `error`."),
  error_description: describe(v.string(), "English text for humans; never contains a submitted secret."),
  details: v.optional(
    describe(v.array(v.strictObject({ path: v.string(), message: v.string() })), "Field paths of a validation error."),
  ),
  request_id: v.optional(describe(v.string(), "On 5xx answers: the id of the log line to look for.")),
});

export const VerificationSent = v.strictObject({
  verification_id: v.string(),
  expires_in: v.pipe(v.number(), v.integer()),
  is_user: describe(v.boolean(), "Whether a user already has this phone number or email."),
});

export const VerificationVerified = v.strictObject({
  verification_token: describe(v.string(), "Single use; for POST /auth/v1/signin or /auth/v1/signup."),
  expires_in: v.pipe(v.number(), v.integer()),
});

export const CaptchaChallenge = v.union([
  v.strictObject({
    type: v.literal("image"),
    data: describe(v.string(), "A PNG picture (180×64) as a data: URI."),
    token: describe(v.string(), "The challenge; send it back with the answer to /captcha/data/verify."),
    expires_in: v.pipe(v.number(), v.integer()),
  }),
  v.strictObject({ type: v.literal("turnstile"), site_key: v.string(), action: v.string() }),
]);

export const CaptchaToken = v.strictObject({
  captcha_token: describe(v.string(), "Good for one attempt: send it as `x-captcha-token` or `?captcha_token=`."),
  expires_in: v.pipe(v.number(), v.integer()),
});

export const Settings = v.strictObject({
  ...switchBooleans(),
  provider_signin: describe(v.record(v.string(), v.boolean()), "Per provider id of AUTH_PROVIDERS."),
});

export const Jwks = v.strictObject({
  keys: v.array(
    v.looseObject({
      kty: v.picklist(["EC", "OKP"]),
      kid: v.string(),
      alg: v.picklist(["ES256", "EdDSA"]),
      use: v.optional(v.literal("sig")),
      crv: v.string(),
      x: v.string(),
      y: v.optional(v.string()),
    }),
  ),
});

export const Empty = v.strictObject({});

export const ProviderUri = v.strictObject({
  uri: describe(v.string(), "The provider's authorization URL with every `%` escaped as `%25`: `decodeURIComponent` it once."),
});

export const ProviderToken = v.strictObject({
  provider_token: describe(v.string(), "For POST /auth/v1/signin/with/provider, /auth/v1/user/provider/bind or /auth/v1/signup; spent by one of them."),
  expires_in: v.pipe(v.number(), v.integer()),
});

export const ProviderList = v.strictObject({
  total: v.pipe(v.number(), v.integer()),
  data: v.array(
    v.strictObject({
      id: describe(v.string(), "The provider id (AUTH_PROVIDERS)."),
      name: v.string(),
      provider_user_name: describe(v.nullable(v.string()), "The linked identity's name or email at the provider."),
      bind: describe(v.boolean(), "Whether the signed-in user has linked this provider."),
    }),
  ),
});

export const SudoToken = v.strictObject({
  sudo_token: describe(v.string(), "URL-safe; bound to the user and the session it was granted in."),
  expires_in: describe(v.pipe(v.number(), v.integer()), "Seconds (900)."),
});

export type TokenResponse = v.InferOutput<typeof TokenResponse>;
export type SessionScope = NonNullable<TokenResponse["scope"]>;
export type User = v.InferOutput<typeof User>;
export type ErrorBody = v.InferOutput<typeof ErrorBody>;
export type VerificationSent = v.InferOutput<typeof VerificationSent>;
export type VerificationVerified = v.InferOutput<typeof VerificationVerified>;
export type CaptchaChallenge = v.InferOutput<typeof CaptchaChallenge>;
export type CaptchaToken = v.InferOutput<typeof CaptchaToken>;
export type Settings = v.InferOutput<typeof Settings>;
export type Jwks = v.InferOutput<typeof Jwks>;
export type ProviderUri = v.InferOutput<typeof ProviderUri>;
export type ProviderToken = v.InferOutput<typeof ProviderToken>;
export type ProviderList = v.InferOutput<typeof ProviderList>;
export type SudoToken = v.InferOutput<typeof SudoToken>;
