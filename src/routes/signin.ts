// POST /auth/v1/signin: username+password, or a verification_token (docs/protocol.md §2).
import { Hono } from "hono";
import * as v from "valibot";
import { parseSigninIdentifier } from "../auth/identifiers";
import { signInWithVerificationToken } from "../auth/code-signin";
import { signInWithPassword } from "../auth/password-attempt";
import type { TokenResponse } from "../auth/session-issuer";
import { presentedCaptchaToken } from "../captcha/gate";
import { logAuthEvent, pseudonym, type SigninMethod } from "../observability/auth-events";
import { ApiError } from "../errors";
import { deferFor } from "../http/background";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import { requireEnabled } from "../auth/switches";
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

export function registerSignin(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/signin", {
    POST: async (c) => {
      const body = await readBody(c.req.raw, SigninBody);
      if (body.password !== undefined && body.verification_token !== undefined) {
        throw invalid("(body)", "send either password or verification_token, not both");
      }
      const requestId = c.get("requestId");
      if (body.verification_token !== undefined) {
        // The js-sdk sends the contact in `username` beside the token: it is ignored.
        const token = body.verification_token;
        const tokens = await observed(requestId, "verification_code", undefined, () =>
          signInWithVerificationToken(servicesFor(c.env), token, deferFor(c)),
        );
        return c.json(tokens, 200, NO_STORE);
      }
      if (body.password === undefined) throw invalid("password", "required (or send verification_token)");
      if (body.username === undefined) throw invalid("username", "required with password");
      const identifier = parseSigninIdentifier(body.username);
      if (!identifier) throw invalid("username", "must be a username, a phone number (+86 13800138000) or an email");

      const services = servicesFor(c.env);
      await requireEnabled(services, "username_password_signin");

      const password = body.password;
      const named = { normalized: identifier.normalized, secret: services.config.jwtSigningKeys };
      const tokens = await observed(requestId, "password", named, () =>
        signInWithPassword(services, {
          identifier,
          password,
          captchaToken: presentedCaptchaToken(c.req.raw),
          clientIp: c.req.header("cf-connecting-ip") ?? null,
          requestId,
        }, deferFor(c)),
      );
      return c.json(tokens, 200, NO_STORE);
    },
  });
}
