// POST /auth/v1/signin: username+password, or a verification_token (docs/protocol.md §2).
import { Hono } from "hono";
import * as v from "valibot";
import { parseSigninIdentifier } from "../auth/identifiers";
import { signInWithVerificationToken } from "../auth/code-signin";
import { signInWithPassword } from "../auth/password-attempt";
import { TokenResponse } from "../api/answers";
import { presentedCaptchaToken } from "../captcha/gate";
import { logAuthEvent, pseudonym, type SigninMethod } from "../observability/auth-events";
import { ApiError } from "../errors";
import { deferFor } from "../http/background";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { requireEnabled } from "../auth/switches";
import { endpoint, operation } from "./operation";
import { NO_STORE } from "./token-response";
import { Password } from "./schemas";

export const SigninBody = v.object({
  username: v.optional(v.string()),
  password: v.optional(Password),
  verification_token: v.optional(v.pipe(v.string(), v.nonEmpty())),
});

/** Runs a sign-in and writes its auth event (success with the sub, failure with the reason). */
async function observed(
  requestId: string,
  method: SigninMethod,
  /** The normalised identifier and the secret its pseudonym is keyed with. */
  identifier: { normalized: string; secret: string } | undefined,
  signIn: () => Promise<TokenResponse>,
): Promise<TokenResponse> {
  try {
    const tokens = await signIn();
    logAuthEvent(requestId, { event: "signin.succeeded", method, sub: tokens.sub });
    return tokens;
  } catch (err) {
    if (err instanceof ApiError) {
      const account = identifier === undefined ? undefined : await pseudonym(identifier.normalized, identifier.secret);
      logAuthEvent(requestId, { event: "signin.failed", method, reason: err.error, ...(account ? { account } : {}) });
    }
    throw err;
  }
}

function invalid(path: string, message: string): ApiError {
  return new ApiError("invalid_argument", { details: [{ path, message }] });
}

const CAPTCHA_ERRORS = ["captcha_required", "captcha_invalid"] as const;

export function registerSignin(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/signin", {
    POST: operation({
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
      success: { status: 200, description: "Signed in", schema: TokenResponse, headers: NO_STORE },
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
      handle: async (c, { body }) => {
        if (body.password !== undefined && body.verification_token !== undefined) {
          throw invalid("(body)", "send either password or verification_token, not both");
        }
        const requestId = c.get("requestId");
        if (body.verification_token !== undefined) {
          // The js-sdk sends the contact in `username` beside the token: it is ignored.
          const token = body.verification_token;
          return observed(requestId, "verification_code", undefined, () =>
            signInWithVerificationToken(servicesFor(c.env), token, deferFor(c)),
          );
        }
        if (body.password === undefined) throw invalid("password", "required (or send verification_token)");
        if (body.username === undefined) throw invalid("username", "required with password");
        const identifier = parseSigninIdentifier(body.username);
        if (!identifier) throw invalid("username", "must be a username, a phone number (+86 13800138000) or an email");

        const services = servicesFor(c.env);
        await requireEnabled(services, "username_password_signin");

        const password = body.password;
        const named = { normalized: identifier.normalized, secret: services.config.jwtSigningKeys };
        return observed(requestId, "password", named, () =>
          signInWithPassword(services, {
            identifier,
            password,
            captchaToken: presentedCaptchaToken(c.req.raw),
            clientIp: c.req.header("cf-connecting-ip") ?? null,
            requestId,
          }, deferFor(c)),
        );
      },
    }),
  });
}
