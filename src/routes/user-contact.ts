// PATCH /auth/v1/user/contact: bind or change the signed-in user's phone number or email, with a
// sudo token and a verification token for the new contact (the js-sdk's bindPhoneNumber /
// bindEmail).
import type { Hono } from "hono";
import * as v from "valibot";
import { bindContact } from "../auth/contact-change";
import type { Contact } from "../auth/verification-contact";
import { deferFor } from "../http/background";
import { readBody, requireExactlyOne } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import { Email, Phone } from "./admin-users";
import { PRIVATE, signedIn } from "./bearer";
import { PresentedToken } from "./schemas";
import { requireSudo } from "./user-password";

// `conflict_resolution` (values not known from the clients) is ignored: a taken contact is refused.
export const ContactBody = v.object({
  phone_number: v.optional(Phone),
  email: v.optional(Email),
  sudo_token: v.optional(PresentedToken),
  verification_token: PresentedToken,
});

export function registerUserContact(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/contact", {
    PATCH: async (c) => {
      const session = await signedIn(c);
      const body = await readBody(c.req.raw, ContactBody);
      requireExactlyOne(body, "phone_number", "email");
      const services = servicesFor(c.env);
      await requireSudo(c, services, session, body.sudo_token);
      const contact: Contact = body.email !== undefined ? { kind: "email", value: body.email } : { kind: "phone", value: body.phone_number! };
      await bindContact(services, session.user.id, contact, body.verification_token, deferFor(c));
      return c.json({}, 200, PRIVATE);
    },
  });
}
