// Passwords of existing users: POST /auth/v1/reset (forgotten, proven with a code), POST
// /auth/v1/user/sudo (prove it is you again) and PATCH /auth/v1/user/password (set a new one with
// a sudo token). Answers the clients read nothing from are `{}`.
import type { Context, Hono } from "hono";
import * as v from "valibot";
import { Empty, SudoToken } from "../api/answers";
import { isGuest } from "../auth/guest";
import { resetPassword } from "../auth/password-reset";
import { setPassword } from "../auth/set-password";
import { sudoWithPassword, sudoWithVerification } from "../auth/sudo";
import { requireSudoToken } from "../auth/sudo-token";
import { presentedCaptchaToken } from "../captcha/gate";
import { deferFor } from "../http/background";
import { requireExactlyOne } from "../http/body";
import type { AppEnv } from "../http/context";
import { logAuthEvent } from "../observability/auth-events";
import { servicesFor, type Services } from "../services";
import type { SignedIn } from "../auth/current-user";
import { PRIVATE } from "./bearer";
import { Password, PresentedToken } from "./schemas";
import { NO_STORE } from "./token-response";
import { endpoint, operation } from "./operation";

// `email` / `phone_number` that the clients send beside the token are ignored: the token names
// its contact (the js-sdk sends the phone number as the user typed it).
export const ResetBody = v.object({
  new_password: Password,
  verification_token: PresentedToken,
});

export const SudoBody = v.object({
  password: v.optional(Password),
  verification_token: v.optional(PresentedToken),
});

// The sudo token may also come as `?sudo_token=` (as CloudBase documents it).
export const SetPasswordBody = v.object({
  sudo_token: v.optional(PresentedToken),
  new_password: Password,
});

/**
 * The sudo token of a request for this user and session: invalid_grant unless it is one. A guest
 * has no password or contact to prove itself with again: its session is all there is, and enough.
 */
export async function requireSudo(c: Context<AppEnv>, services: Services, session: SignedIn, fromBody?: string): Promise<void> {
  if (isGuest(session.user)) return;
  const token = fromBody ?? c.req.query("sudo_token");
  await requireSudoToken(services.config.jwtSigningKeys, token, { userId: session.user.id, sessionId: session.sessionId }, services.now());
}

export function registerUserPassword(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/reset", {
    POST: operation({
      operationId: "resetPassword",
      tag: "Account",
      summary: "Set a forgotten password with a verification token",
      description:
        "The contact is the one the token proves (`email` / `phone_number` beside it are ignored). Email tokens must be for `PASSWORD_RESET` (`usage: \"recovery\"`); phone tokens may be `PASSWORD_RESET` or `SIGN_IN`. The token is used up, every session of the user ends, and the account's failed attempts, captcha state and lock are forgotten. The new password needs `PASSWORD_MIN_LENGTH` characters.",
      body: ResetBody,
      success: { status: 200, description: "Password set", schema: Empty, headers: NO_STORE },
      errors: ["invalid_argument", "invalid_grant", "user_not_found"],
      handle: async (c, { body }) => {
        const sub = await resetPassword(servicesFor(c.env), body.verification_token, body.new_password, deferFor(c));
        logAuthEvent(c.get("requestId"), { event: "password.changed", sub, method: "reset" });
        return {};
      },
    }),
  });

  endpoint(app, "/auth/v1/user/sudo", {
    POST: operation({
      operationId: "sudo",
      tag: "Account",
      summary: "Prove it is you again, for a sudo token",
      description:
        "Exactly one of `password` (through the same per-IP limit, lockout and captcha gate as sign-in) or `verification_token` (for one of this user's own contacts). The sudo token is valid 900 s, for this user and session only.",
      body: SudoBody,
      bodyRules: { oneOf: [{ required: ["password"] }, { required: ["verification_token"] }] },
      success: { status: 200, description: "A sudo token", schema: SudoToken, headers: NO_STORE },
      errors: [
        "invalid_argument",
        "invalid_username_or_password",
        "password_not_set",
        "captcha_required",
        "captcha_invalid",
        "invalid_status",
        "invalid_grant",
        "rate_limit_exceeded",
      ],
      auth: "user",
      captcha: true,
      handle: async (c, { body, session }) => {
        requireExactlyOne(body, "password", "verification_token");
        const services = servicesFor(c.env);
        const requestId = c.get("requestId");
        const granted =
          body.password !== undefined
            ? await sudoWithPassword(
                services,
                session,
                {
                  password: body.password,
                  captchaToken: presentedCaptchaToken(c.req.raw),
                  clientIp: c.req.header("cf-connecting-ip") ?? null,
                  requestId,
                },
                deferFor(c),
              )
            : await sudoWithVerification(services, session, body.verification_token!, deferFor(c));
        const method = body.password !== undefined ? "password" : "verification_code";
        logAuthEvent(requestId, { event: "sudo.granted", sub: session.user.id, method });
        return granted;
      },
    }),
  });

  endpoint(app, "/auth/v1/user/password", {
    PATCH: operation({
      operationId: "setPassword",
      tag: "Account",
      summary: "Set a new password with a sudo token",
      description:
        "The sudo token goes in the body or as `?sudo_token=`. The calling session stays; every other session of the user ends. The new password needs `PASSWORD_MIN_LENGTH` characters.",
      body: SetPasswordBody,
      success: { status: 200, description: "Password set", schema: Empty, headers: PRIVATE },
      errors: ["invalid_argument", "invalid_grant"],
      auth: "user",
      handle: async (c, { body, session }) => {
        const services = servicesFor(c.env);
        await requireSudo(c, services, session, body.sudo_token);
        // This session stays (the client goes on with it); every other one ends.
        await setPassword(services, session.user.id, body.new_password, { keepSession: session.sessionId, passwordField: "new_password" });
        logAuthEvent(c.get("requestId"), { event: "password.changed", sub: session.user.id, method: "sudo" });
        return {};
      },
    }),
  });
}
