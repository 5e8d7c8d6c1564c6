// POST /auth/v1/verification (send a code) and /auth/v1/verification/verify (docs/protocol.md §3).
import type { Context, Hono } from "hono";
import * as v from "valibot";
import { normalizeEmail, normalizePhone } from "../auth/identifiers";
import { presentedCaptchaToken } from "../captcha/gate";
import { channelOf, USAGES, type Contact } from "../auth/verification-contact";
import { sendVerification } from "../auth/verification-send";
import { verifyCode } from "../auth/verification-verify";
import { ApiError } from "../errors";
import { deferFor } from "../http/background";
import { requireExactlyOne } from "../http/body";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { logAuthEvent, pseudonym } from "../observability/auth-events";
import { bearerSubject, signedIn } from "./bearer";
import { NO_STORE } from "./token-response";
import { endpoint, operation } from "./operation";
import { VerificationSent, VerificationVerified } from "../api/answers";

// An empty string is treated as absent: some clients send the unused field as "".
const OptionalText = v.pipe(
  v.optional(v.string()),
  v.transform((value) => (value === "" ? undefined : value)),
);

// @cloudbase/js-sdk 3.x sends its own lower-case usages for email codes: `email` (code sign-in and
// sign-up), `recovery` (password reset) and `reauthentication` (sudo, changing the email). They map
// onto ours, so a reset or reauthentication code still cannot sign in.
const CLIENT_USAGES = { email: "SIGN_IN", recovery: "PASSWORD_RESET", reauthentication: "REAUTHENTICATION" } as const;
const UsageField = v.union([
  v.picklist(USAGES),
  v.pipe(
    v.picklist(["email", "recovery", "reauthentication"]),
    v.transform((usage) => CLIENT_USAGES[usage]),
  ),
]);

export const SendBody = v.object({
  phone_number: OptionalText,
  email: OptionalText,
  // CUR_USER (with a bearer): the signed-in user's own phone or email; the body may omit it.
  target: v.optional(v.picklist(["ANY", "USER", "NOT_USER", "CUR_USER"]), "ANY"),
  usage: v.optional(UsageField, "SIGN_IN"),
});

export const VerifyBody = v.object({
  verification_id: v.pipe(v.string(), v.nonEmpty(), v.maxLength(256)),
  verification_code: v.pipe(v.string(), v.nonEmpty(), v.maxLength(64)),
});

function invalid(path: string, message: string): ApiError {
  return new ApiError("invalid_argument", { details: [{ path, message }] });
}

/** The signed-in user's own contact for `target: "CUR_USER"`: the one the body names, else the phone, else the email. */
async function ownContact(c: Context<AppEnv>, body: v.InferOutput<typeof SendBody>): Promise<{ contact: Contact; userId: string }> {
  const { user } = await signedIn(c);
  const named = body.phone_number !== undefined || body.email !== undefined ? contactOf(body) : undefined;
  const own: Contact[] = [
    ...(user.phone ? [{ kind: "phone" as const, value: user.phone }] : []),
    ...(user.email ? [{ kind: "email" as const, value: user.email }] : []),
  ];
  const contact = named ? own.find((item) => item.kind === named.kind && item.value === named.value) : own[0];
  if (!contact) {
    throw new ApiError("failed_precondition", {
      description: named ? "This is not the signed-in user's phone number or email" : "The signed-in user has no phone number or email",
    });
  }
  return { contact, userId: user.id };
}

function contactOf(body: v.InferOutput<typeof SendBody>): Contact {
  requireExactlyOne(body, "phone_number", "email");
  if (body.phone_number !== undefined) {
    const phone = normalizePhone(body.phone_number);
    if (!phone) throw invalid("phone_number", "must be a valid phone number like +86 13800138000");
    return { kind: "phone", value: phone };
  }
  const email = normalizeEmail(body.email!);
  if (!email) throw invalid("email", "must be an email address");
  return { kind: "email", value: email };
}

export function registerVerification(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/verification", {
    POST: operation({
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
      success: { status: 200, description: "Code sent", schema: VerificationSent, headers: NO_STORE },
      errors: [
        "invalid_argument",
        "user_not_found",
        "already_exists",
        "rate_limit_exceeded",
        "unimplemented",
        "captcha_required",
        "captcha_invalid",
        "unauthenticated",
        "failed_precondition",
      ],
      captcha: true,
      handle: async (c, { body }) => {
        const own = body.target === "CUR_USER" ? await ownContact(c, body) : undefined;
        const contact = own?.contact ?? contactOf(body);
        const request = {
          contact,
          // The signed-in user holds their own contact: nothing to check.
          target: body.target === "CUR_USER" ? ("ANY" as const) : body.target,
          usage: body.usage,
          clientIp: c.req.header("cf-connecting-ip") ?? null,
          captchaToken: presentedCaptchaToken(c.req.raw),
          requestId: c.get("requestId"),
          requestedBy: own?.userId ?? (await bearerSubject(c)),
        };
        const services = servicesFor(c.env);
        const sent = await sendVerification(services, request, deferFor(c));
        // The contact as a pseudonym in the same form password sign-in uses (`phone:+86 ...`), so
        // an operator can correlate; the contact itself is logged only by the console sender.
        logAuthEvent(c.get("requestId"), {
          event: "code.sent",
          channel: channelOf(contact),
          usage: body.usage,
          contact: await pseudonym(`${contact.kind}:${contact.value}`, services.config.jwtSigningKeys),
        });
        return sent;
      },
    }),
  });

  endpoint(app, "/auth/v1/verification/verify", {
    POST: operation({
      operationId: "verify",
      tag: "Verification",
      summary: "Exchange a code for a verification token",
      description:
        "Five wrong codes end the verification; a code verifies once. After `WRONG_CODES_PER_CONTACT_PER_HOUR` wrong codes for a contact, only a code sent with a captcha verifies.",
      body: VerifyBody,
      success: { status: 200, description: "Code accepted", schema: VerificationVerified, headers: NO_STORE },
      errors: ["invalid_argument", "invalid_verification_code"],
      handle: async (c, { body }) => {
        const verified = await verifyCode(servicesFor(c.env), body.verification_id, body.verification_code);
        return verified;
      },
    }),
  });
}
