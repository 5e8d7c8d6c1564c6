// PATCH /auth/v1/user/contact: bind or change the signed-in user's phone number or email, with a
// sudo token and a verification token for the new contact (the js-sdk's bindPhoneNumber /
// bindEmail).
import type { Hono } from "hono";
import * as v from "valibot";
import { Empty } from "../api/answers";
import { bindContact } from "../auth/contact-change";
import type { Contact } from "../auth/verification-contact";
import { deferFor } from "../http/background";
import { requireExactlyOne } from "../http/body";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { Email, Phone } from "./admin-users";
import { PRIVATE } from "./bearer";
import { PresentedToken } from "./schemas";
import { requireSudo } from "./user-password";
import { endpoint, operation } from "./operation";

// `conflict_resolution` (values not known from the clients) is ignored: a taken contact is refused.
export const ContactBody = v.object({
  phone_number: v.optional(Phone),
  email: v.optional(Email),
  sudo_token: v.optional(PresentedToken),
  verification_token: PresentedToken,
});

export function registerUserContact(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/contact", {
    PATCH: operation({
      operationId: "bindContact",
      tag: "Account",
      summary: "Bind or change the signed-in user's phone number or email",
      description:
        "Exactly one of `phone_number` / `email`, a `verification_token` for that very contact (usage `SIGN_IN` or `REAUTHENTICATION`) and a `sudo_token`. A contact another user holds is `failed_precondition` (the token stays usable).",
      body: ContactBody,
      bodyRules: { oneOf: [{ required: ["phone_number"] }, { required: ["email"] }] },
      success: { status: 200, description: "Bound", schema: Empty, headers: PRIVATE },
      errors: ["invalid_argument", "invalid_grant", "failed_precondition"],
      auth: "user",
      handle: async (c, { body, session }) => {
        requireExactlyOne(body, "phone_number", "email");
        const services = servicesFor(c.env);
        await requireSudo(c, services, session, body.sudo_token);
        const contact: Contact = body.email !== undefined ? { kind: "email", value: body.email } : { kind: "phone", value: body.phone_number! };
        await bindContact(services, session.user.id, contact, body.verification_token, deferFor(c));
        return {};
      },
    }),
  });
}
