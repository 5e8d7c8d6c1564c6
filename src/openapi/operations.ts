// Every operation of the API: its request body schema (the one the route validates with), its
// success answer, and the errors of the protocol it can answer with. The document is built from
// this table; a test checks it covers exactly the endpoints the app registers.
import type * as v from "valibot";
import type { ErrorName } from "../errors";
import { SettingsPatch } from "../routes/admin-settings";
import { CreateUserBody, PatchUserBody } from "../routes/admin-users";
import { VerifyBody as CaptchaVerifyBody } from "../routes/captcha";
import { ProviderTokenBody, ProviderUriQuery, SigninWithProviderBody } from "../routes/providers";
import { RevokeBody } from "../routes/revoke";
import { BindProviderBody } from "../routes/user-providers";
import { SigninBody } from "../routes/signin";
import { AnonymousBody } from "../routes/signin-anonymously";
import { SignupBody } from "../routes/signup";
import { TokenBody } from "../routes/token";
import { ResetBody, SetPasswordBody, SudoBody } from "../routes/user-password";
import { ContactBody } from "../routes/user-contact";
import { BasicEditBody, ProfileBody } from "../routes/user-profile";
import { SignOutBody } from "../routes/user-sessions";
import { SendBody, VerifyBody as CodeVerifyBody } from "../routes/verification";
import type { JsonSchema } from "./convert";
import * as R from "./responses";

export type HttpMethod = "get" | "post" | "patch" | "delete";

export interface Operation {
  /** As registered with Hono (`:sub`); the document writes `{sub}`. */
  path: string;
  method: HttpMethod;
  operationId: string;
  tag: "Sign-in" | "Verification" | "Sessions" | "Account" | "Providers" | "Captcha" | "Keys" | "Admin" | "Docs";
  summary: string;
  description?: string;
  /** The valibot schema the route reads its query with (documented as query parameters). */
  query?: v.GenericSchema;
  /** The valibot schema the route reads its body with. */
  body?: v.GenericSchema;
  /** Rules across fields that the handler checks after the schema (documented as `allOf`). */
  bodyRules?: JsonSchema;
  bodyExamples?: Record<string, unknown>;
  success: { status: 200 | 201 | 204 | 302; description: string; schema?: v.GenericSchema; html?: true };
  errors: ErrorName[];
  auth?: "user" | "admin";
  /** Takes a captcha token (`x-captcha-token` or `?captcha_token=`). */
  captcha?: true;
  /** Reaches D1 or a Durable Object: 503 unavailable when they fail. */
  storage?: true;
}

const CAPTCHA_ERRORS: ErrorName[] = ["captcha_required", "captcha_invalid"];

export const OPERATIONS: Operation[] = [
  {
    path: "/auth/v1/signin",
    method: "post",
    operationId: "signIn",
    tag: "Sign-in",
    summary: "Sign in with username and password, or with a verification token",
    description:
      "Exactly one method: `{username, password}` (the `username` field also takes the user's phone number or email) or `{verification_token}` from POST /auth/v1/verification/verify (a `username` beside it is ignored). After `CAPTCHA_AFTER_FAILURES` failures a password attempt needs a captcha token; after `LOCK_AFTER_FAILURES` the account is locked (`invalid_status` with `Retry-After`).",
    body: SigninBody,
    bodyRules: {
      properties: {
        username: {
          description:
            "A username (`^[A-Za-z0-9][A-Za-z0-9._:+@-]{1,47}$`, case-sensitive), or the user's phone number or email.",
        },
      },
      oneOf: [
        { required: ["username", "password"], title: "password" },
        { required: ["verification_token"], title: "verification code" },
      ],
    },
    bodyExamples: {
      password: { username: "zhangsan", password: "example password" },
      code: { verification_token: "<from /auth/v1/verification/verify>" },
    },
    success: { status: 200, description: "Signed in", schema: R.TokenResponse },
    errors: [
      "invalid_argument",
      "invalid_username_or_password",
      ...CAPTCHA_ERRORS,
      "password_not_set",
      "invalid_status",
      "invalid_grant",
      "user_not_found",
      "rate_limit_exceeded",
      "unimplemented",
    ],
    captcha: true,
    storage: true,
  },
  {
    path: "/auth/v1/signup",
    method: "post",
    operationId: "signUp",
    tag: "Sign-in",
    summary: "Create a user from a verified phone number or email, or from a provider identity",
    description:
      "The contact is the one the `verification_token` proves (fields `phone_number`, `email`, `verification_code` that clients also send are ignored). A taken username or contact is 409 and does not consume the token.",
    body: SignupBody,
    bodyRules: {
      oneOf: [
        { required: ["verification_token"], title: "verified contact" },
        { required: ["provider_token"], title: "provider identity" },
      ],
    },
    success: { status: 200, description: "The new user, signed in", schema: R.TokenResponse },
    errors: ["invalid_argument", "invalid_grant", "already_exists", "failed_precondition", "unimplemented"],
    storage: true,
  },
  {
    path: "/auth/v1/verification",
    method: "post",
    operationId: "sendVerification",
    tag: "Verification",
    summary: "Send a 6-digit code to a phone number or email",
    description:
      "Exactly one of `phone_number` / `email`, or `target: \"CUR_USER\"` with a bearer (the signed-in user's own phone, else email; 401 without a live session). Sent with a genuine bearer, the right code also lets that user set this contact with POST /auth/v1/user/basic/edit within 10 minutes. A send needs a captcha token within 60 s of the contact's last send, past `SENDS_PER_CONTACT_PER_DAY` sends to it a day, after `WRONG_CODES_PER_CONTACT_PER_HOUR` wrong codes for it, and past `SENDS_PER_IP_PER_HOUR` sends from one IP (one token passes them all). A new send spares the codes sent less than a minute before. `unimplemented` when code sign-in and sign-up are both off; `rate_limit_exceeded` past the service's daily budget of the channel (`SENDS_PER_DAY`).",
    body: SendBody,
    bodyRules: {
      anyOf: [
        { required: ["phone_number"] },
        { required: ["email"] },
        { required: ["target"], properties: { target: { const: "CUR_USER" } } },
      ],
    },
    bodyExamples: {
      phone: { phone_number: "+86 13800138000", target: "ANY" },
      email: { email: "user@example.com", target: "USER" },
    },
    success: { status: 200, description: "Code sent", schema: R.VerificationSent },
    errors: [
      "invalid_argument",
      "user_not_found",
      "already_exists",
      "rate_limit_exceeded",
      "unimplemented",
      ...CAPTCHA_ERRORS,
      "unauthenticated",
      "failed_precondition",
    ],
    captcha: true,
    storage: true,
  },
  {
    path: "/auth/v1/verification/verify",
    method: "post",
    operationId: "verify",
    tag: "Verification",
    summary: "Exchange a code for a verification token",
    description:
      "Five wrong codes end the verification; a code verifies once. After `WRONG_CODES_PER_CONTACT_PER_HOUR` wrong codes for a contact, only a code sent with a captcha verifies.",
    body: CodeVerifyBody,
    success: { status: 200, description: "Code accepted", schema: R.VerificationVerified },
    errors: ["invalid_argument", "invalid_verification_code"],
    storage: true,
  },
  {
    path: "/auth/v1/token",
    method: "post",
    operationId: "refresh",
    tag: "Sessions",
    summary: "Refresh: a new token pair for a refresh token",
    description:
      "The refresh token is rotated out. Presenting it again within `REFRESH_REUSE_GRACE_SECONDS` returns the same successor; later, it revokes the whole session.",
    body: TokenBody,
    bodyRules: { properties: { grant_type: { const: "refresh_token" } }, required: ["refresh_token"] },
    bodyExamples: { refresh: { grant_type: "refresh_token", refresh_token: "<refresh token>" } },
    success: { status: 200, description: "A new token pair", schema: R.TokenResponse },
    errors: ["invalid_argument", "invalid_grant", "unsupported_grant_type"],
    storage: true,
  },
  {
    path: "/auth/v1/revoke",
    method: "post",
    operationId: "revoke",
    tag: "Sessions",
    summary: "Sign out: revoke the session behind an access or refresh token",
    description: "Answers `{}` for any well-formed body, known token or not (RFC 7009).",
    body: RevokeBody,
    success: { status: 200, description: "Revoked (or nothing to revoke)", schema: R.Empty },
    errors: ["invalid_argument"],
    storage: true,
  },
  {
    path: "/auth/v1/user/me",
    method: "get",
    operationId: "getUser",
    tag: "Sessions",
    summary: "The signed-in user",
    success: { status: 200, description: "The user", schema: R.User },
    errors: ["unauthenticated"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/signin/anonymously",
    method: "post",
    operationId: "signInAnonymously",
    tag: "Sign-in",
    summary: "Sign in as a new guest",
    description:
      "Off unless the `anonymous_signin` switch is on (501 `unimplemented`, \"Anonymous login is not enabled\"). Every call makes a new guest (`x-device-id` is not used: see docs/account.md); at most `ANONYMOUS_SIGNINS_PER_IP_PER_HOUR` per IP. The answer has `scope: \"anonymous\"`; /user/me says `name: \"anonymous\"` until the guest binds a contact or sets a password, keeping its `sub`.",
    body: AnonymousBody,
    success: { status: 200, description: "A guest, signed in", schema: R.TokenResponse },
    errors: ["invalid_argument", "rate_limit_exceeded", "unimplemented"],
    storage: true,
  },
  {
    path: "/auth/v1/user/me",
    method: "delete",
    operationId: "deleteMe",
    tag: "Account",
    summary: "Delete the signed-in user's account",
    description:
      "Needs `?sudo_token=` from POST /auth/v1/user/sudo (granted in this session, within 900 s). Every session of the user ends at once; the user's data is deleted. Answers 200 `{}` (never 204: the clients retry an answer that is not JSON).",
    success: { status: 200, description: "Deleted", schema: R.Empty },
    errors: ["unauthenticated", "invalid_grant", "user_not_found"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/user/signout",
    method: "post",
    operationId: "signOutSessions",
    tag: "Sessions",
    summary: "Sign out this session, every session, or every other one",
    description:
      "`{}` (or `scope: \"local\"`) ends the bearer's session, `scope: \"global\"` every session of the user, `scope: \"others\"` all but the bearer's. Other fields (`redirect_uri`, `state`) are ignored.",
    body: SignOutBody,
    success: { status: 200, description: "Signed out", schema: R.Empty },
    errors: ["invalid_argument", "unauthenticated"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/user/revoke/all",
    method: "delete",
    operationId: "revokeAllDevices",
    tag: "Sessions",
    summary: "End every session of the signed-in user",
    success: { status: 200, description: "Every session ended", schema: R.Empty },
    errors: ["unauthenticated"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/reset",
    method: "post",
    operationId: "resetPassword",
    tag: "Account",
    summary: "Set a forgotten password with a verification token",
    description:
      "The contact is the one the token proves (`email` / `phone_number` beside it are ignored). Email tokens must be for `PASSWORD_RESET` (`usage: \"recovery\"`); phone tokens may be `PASSWORD_RESET` or `SIGN_IN`. The token is used up, every session of the user ends, and the account's failed attempts, captcha state and lock are forgotten. The new password needs `PASSWORD_MIN_LENGTH` characters.",
    body: ResetBody,
    success: { status: 200, description: "Password set", schema: R.Empty },
    errors: ["invalid_argument", "invalid_grant", "user_not_found"],
    storage: true,
  },
  {
    path: "/auth/v1/user/sudo",
    method: "post",
    operationId: "sudo",
    tag: "Account",
    summary: "Prove it is you again, for a sudo token",
    description:
      "Exactly one of `password` (through the same per-IP limit, lockout and captcha gate as sign-in) or `verification_token` (for one of this user's own contacts). The sudo token is valid 900 s, for this user and session only.",
    body: SudoBody,
    bodyRules: { oneOf: [{ required: ["password"] }, { required: ["verification_token"] }] },
    success: { status: 200, description: "A sudo token", schema: R.SudoToken },
    errors: [
      "invalid_argument",
      "unauthenticated",
      "invalid_username_or_password",
      "password_not_set",
      ...CAPTCHA_ERRORS,
      "invalid_status",
      "invalid_grant",
      "rate_limit_exceeded",
    ],
    auth: "user",
    captcha: true,
    storage: true,
  },
  {
    path: "/auth/v1/user/password",
    method: "patch",
    operationId: "setPassword",
    tag: "Account",
    summary: "Set a new password with a sudo token",
    description:
      "The sudo token goes in the body or as `?sudo_token=`. The calling session stays; every other session of the user ends. The new password needs `PASSWORD_MIN_LENGTH` characters.",
    body: SetPasswordBody,
    success: { status: 200, description: "Password set", schema: R.Empty },
    errors: ["invalid_argument", "unauthenticated", "invalid_grant"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/user/basic/edit",
    method: "post",
    operationId: "editBasicInfo",
    tag: "Account",
    summary: "Edit the signed-in user's profile (js-sdk updateUser)",
    description:
      "`nickname` (shown as `name`), `avatar_url` (an https URL, shown as `picture`), `gender`, `description`, `username` (unique: a taken one is `failed_precondition`). An empty string clears a field; absent fields stay. Answers `{}`; read the user from GET /auth/v1/user/me.",
    body: BasicEditBody,
    success: { status: 200, description: "Changed", schema: R.Empty },
    errors: ["invalid_argument", "unauthenticated", "failed_precondition"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/user/profile",
    method: "patch",
    operationId: "setUserProfile",
    tag: "Account",
    summary: "Edit the signed-in user's profile, answering the whole user",
    description: "As POST /auth/v1/user/basic/edit with the /user/me names (`name`, `picture`).",
    body: ProfileBody,
    success: { status: 200, description: "The user after the change", schema: R.User },
    errors: ["invalid_argument", "unauthenticated", "failed_precondition"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/user/contact",
    method: "patch",
    operationId: "bindContact",
    tag: "Account",
    summary: "Bind or change the signed-in user's phone number or email",
    description:
      "Exactly one of `phone_number` / `email`, a `verification_token` for that very contact (usage `SIGN_IN` or `REAUTHENTICATION`) and a `sudo_token`. A contact another user holds is `failed_precondition` (the token stays usable).",
    body: ContactBody,
    bodyRules: { oneOf: [{ required: ["phone_number"] }, { required: ["email"] }] },
    success: { status: 200, description: "Bound", schema: R.Empty },
    errors: ["invalid_argument", "unauthenticated", "invalid_grant", "failed_precondition"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/provider/uri",
    method: "get",
    operationId: "getProviderUri",
    tag: "Providers",
    summary: "Start a sign-in with a provider: its authorization URL",
    description:
      "`redirect_uri` is the app page (origin + path) the flow returns to; it must be allowed by `PROVIDER_REDIRECT_URIS`. The provider returns to the service (`/auth/v1/provider/callback`), which keeps the client's `state`, the PKCE verifier and the nonce, and then sends the browser to the app page with `code`, `state` (unchanged) and `provider`. At most `PROVIDER_FLOWS_PER_IP_PER_HOUR` flows per IP.",
    query: ProviderUriQuery,
    success: { status: 200, description: "The URL to send the user to", schema: R.ProviderUri },
    errors: ["invalid_argument", "rate_limit_exceeded", "unimplemented", "unavailable"],
    storage: true,
  },
  {
    path: "/auth/v1/provider/callback",
    method: "get",
    operationId: "providerCallback",
    tag: "Providers",
    summary: "Where providers send the user back to (not for apps)",
    description:
      "Takes the flow named by `state` once, exchanges the provider's code (PKCE, nonce checked) and redirects to the app page with a one-time `code`, or with `error` when the provider refused or failed. An unknown, expired or replayed `state` is `invalid_grant`.",
    success: { status: 302, description: "To the app page" },
    errors: ["invalid_grant"],
    storage: true,
  },
  {
    path: "/auth/v1/provider/token",
    method: "post",
    operationId: "grantProviderToken",
    tag: "Providers",
    summary: "Redeem the one-time code from the app page for a provider token",
    description: "The code is good once, within 5 minutes, for the provider and app page it was issued to.",
    body: ProviderTokenBody,
    success: { status: 200, description: "A provider token", schema: R.ProviderToken },
    errors: ["invalid_argument", "invalid_grant"],
    storage: true,
  },
  {
    path: "/auth/v1/signin/with/provider",
    method: "post",
    operationId: "signInWithProvider",
    tag: "Providers",
    summary: "Sign in with a provider token or an ID token of a configured issuer",
    description:
      "`provider_token` is a token from POST /auth/v1/provider/token, or an OpenID Connect ID token (signInWithIdToken) verified against its issuer's keys (`iss`, `aud`, `exp`, and `nonce` when given). An identity linked to a user signs that user in; a new one is linked by a verified email when the provider's entry allows it, or signs up (with `signup` on and `auto_signup`), else `user_not_found` and the app continues with POST /auth/v1/signup {provider_token}.",
    body: SigninWithProviderBody,
    success: { status: 200, description: "Signed in", schema: R.TokenResponse },
    errors: ["invalid_argument", "invalid_grant", "failed_precondition", "user_not_found", "invalid_status", "unimplemented", "unavailable"],
    storage: true,
  },
  {
    path: "/auth/v1/user/provider/bind",
    method: "post",
    operationId: "bindProvider",
    tag: "Providers",
    summary: "Link a provider identity to the signed-in user",
    body: BindProviderBody,
    success: { status: 200, description: "Linked", schema: R.Empty },
    errors: ["invalid_argument", "unauthenticated", "invalid_grant", "failed_precondition", "unimplemented"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/user/provider",
    method: "get",
    operationId: "listProviders",
    tag: "Providers",
    summary: "The configured providers and which ones the signed-in user has linked",
    success: { status: 200, description: "The providers", schema: R.ProviderList },
    errors: ["unauthenticated"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/user/provider/:provider_id",
    method: "delete",
    operationId: "unbindProvider",
    tag: "Providers",
    summary: "Unlink a provider identity from the signed-in user",
    description: "Answers 200 `{}` (also when nothing was linked). The account's last way to sign in cannot be unlinked: `failed_precondition`.",
    success: { status: 200, description: "Unlinked", schema: R.Empty },
    errors: ["invalid_argument", "unauthenticated", "failed_precondition"],
    auth: "user",
    storage: true,
  },
  {
    path: "/auth/v1/captcha/data",
    method: "post",
    operationId: "getCaptcha",
    tag: "Captcha",
    summary: "A captcha challenge (image) or the Turnstile site key",
    description: "The clients send `{state, redirect_uri}`; any JSON object is accepted and ignored.",
    success: { status: 200, description: "A challenge", schema: R.CaptchaChallenge },
    errors: ["invalid_argument"],
  },
  {
    path: "/auth/v1/captcha/data/verify",
    method: "post",
    operationId: "solveCaptcha",
    tag: "Captcha",
    summary: "Answer an image challenge for a single-use captcha token",
    body: CaptchaVerifyBody,
    success: { status: 200, description: "Solved", schema: R.CaptchaToken },
    errors: ["invalid_argument", "captcha_invalid"],
    storage: true,
  },
  {
    path: "/.well-known/jwks.json",
    method: "get",
    operationId: "getJwks",
    tag: "Keys",
    summary: "Public signing keys (current and previous)",
    success: { status: 200, description: "A JWK Set", schema: R.Jwks },
    errors: [],
  },
  {
    path: "/auth/v1/jwks",
    method: "get",
    operationId: "getJwksAuthPath",
    tag: "Keys",
    summary: "Public signing keys (the same as /.well-known/jwks.json)",
    success: { status: 200, description: "A JWK Set", schema: R.Jwks },
    errors: [],
  },
  {
    path: "/auth/v1/admin/users",
    method: "post",
    operationId: "adminCreateUser",
    tag: "Admin",
    summary: "Create a user",
    body: CreateUserBody,
    success: { status: 201, description: "Created", schema: R.User },
    errors: ["invalid_argument", "permission_denied", "already_exists"],
    auth: "admin",
    storage: true,
  },
  {
    path: "/auth/v1/admin/users/:sub",
    method: "get",
    operationId: "adminGetUser",
    tag: "Admin",
    summary: "Read a user",
    success: { status: 200, description: "The user", schema: R.User },
    errors: ["permission_denied", "user_not_found"],
    auth: "admin",
    storage: true,
  },
  {
    path: "/auth/v1/admin/users/:sub",
    method: "patch",
    operationId: "adminUpdateUser",
    tag: "Admin",
    summary: "Change a user's password, status or name",
    description: "A new password or `BLOCKED` revokes all the user's sessions.",
    body: PatchUserBody,
    success: { status: 200, description: "The changed user", schema: R.User },
    errors: ["invalid_argument", "permission_denied", "user_not_found"],
    auth: "admin",
    storage: true,
  },
  {
    path: "/auth/v1/admin/users/:sub",
    method: "delete",
    operationId: "adminDeleteUser",
    tag: "Admin",
    summary: "Delete a user (and its sessions)",
    success: { status: 204, description: "Deleted" },
    errors: ["permission_denied", "user_not_found"],
    auth: "admin",
    storage: true,
  },
  {
    path: "/auth/v1/admin/users/:sub/lockout",
    method: "delete",
    operationId: "adminClearLockout",
    tag: "Admin",
    summary: "Clear a password lockout",
    success: { status: 204, description: "Cleared" },
    errors: ["permission_denied", "user_not_found"],
    auth: "admin",
    storage: true,
  },
  {
    path: "/auth/v1/admin/settings",
    method: "get",
    operationId: "adminGetSettings",
    tag: "Admin",
    summary: "The sign-in method switches",
    success: { status: 200, description: "Current settings", schema: R.Settings },
    errors: ["permission_denied"],
    auth: "admin",
    storage: true,
  },
  {
    path: "/auth/v1/admin/settings",
    method: "patch",
    operationId: "adminUpdateSettings",
    tag: "Admin",
    summary: "Turn sign-in methods or signup on or off",
    description: "In force everywhere within 10 s.",
    body: SettingsPatch,
    success: { status: 200, description: "Settings after the change", schema: R.Settings },
    errors: ["invalid_argument", "permission_denied"],
    auth: "admin",
    storage: true,
  },
  {
    path: "/auth/v1/openapi.json",
    method: "get",
    operationId: "getOpenApi",
    tag: "Docs",
    summary: "This OpenAPI 3.1 document",
    success: { status: 200, description: "The document" },
    errors: [],
  },
  {
    path: "/auth/v1/docs",
    method: "get",
    operationId: "getDocsPage",
    tag: "Docs",
    summary: "The API reference page (rendered from this document)",
    success: { status: 200, description: "An HTML page", html: true },
    errors: [],
  },
];
