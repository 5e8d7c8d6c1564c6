// The signed-in user edits their profile: POST /auth/v1/user/basic/edit (the js-sdk's updateUser,
// answered `{}`; the client then reads /user/me) and PATCH /auth/v1/user/profile (the deprecated
// setUserProfile: the client stores the answer as its user, so it is the whole /user/me object).
// Names differ between the two (nickname/name, avatar_url/picture); both land in the same fields.
import type { Hono } from "hono";
import * as v from "valibot";
import { provenContactChange } from "../auth/contact-change";
import { editProfile } from "../auth/profile";
import type { Contact } from "../auth/verification-contact";
import { ApiError } from "../errors";
import { USERNAME_PATTERN } from "../auth/identifiers";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import type { Profile } from "../storage/users";
import { publicUser } from "../storage/users";
import { PRIVATE, signedIn } from "./bearer";
import { Email, Phone } from "./admin-users";
import { Name } from "./schemas";

// An empty string clears a field (what a form sends for a field the user emptied).
const clearable = <T extends v.GenericSchema<string, string>>(schema: T) =>
  v.optional(v.union([v.pipe(v.literal(""), v.transform(() => null)), v.null(), schema]));

const Picture = v.pipe(
  v.string(),
  v.maxLength(1024, "must be at most 1024 characters"),
  v.url("must be an https URL"),
  v.startsWith("https://", "must be an https URL"),
);
const Gender = v.picklist(["MALE", "FEMALE", "UNKNOWN"]);
export const Description = v.pipe(
  v.string(),
  v.check((value) => value.isWellFormed() && [...value].length <= 256, "must be at most 256 characters"),
);
const Username = v.pipe(v.string(), v.regex(USERNAME_PATTERN, "must be 2-48 letters, digits or . _ : + @ -, starting with a letter or digit"));

const profileFields = {
  username: v.optional(Username),
  gender: v.optional(v.union([v.pipe(v.literal(""), v.transform(() => null)), v.null(), Gender])),
  description: clearable(Description),
};

// `email` / `phone` change a contact, accepted only when this user just verified it (see
// auth/contact-change.ts). Other fields the clients may send (user_id, password, new_password,
// locale) are ignored.
export const BasicEditBody = v.object({
  nickname: clearable(Name),
  avatar_url: clearable(Picture),
  ...profileFields,
  email: v.optional(Email),
  phone: v.optional(Phone),
});

export const ProfileBody = v.object({
  name: clearable(Name),
  picture: clearable(Picture),
  ...profileFields,
});

type Edit = Partial<Profile>;

const present = (edit: Record<string, unknown>): Edit =>
  Object.fromEntries(Object.entries(edit).filter(([, value]) => value !== undefined)) as Edit;

export function registerUserProfile(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/basic/edit", {
    POST: async (c) => {
      const session = await signedIn(c);
      const body = await readBody(c.req.raw, BasicEditBody);
      const { nickname, avatar_url, email, phone, ...rest } = body;
      if (email !== undefined && phone !== undefined) {
        throw new ApiError("invalid_argument", { details: [{ path: "(body)", message: "change one contact at a time" }] });
      }
      const services = servicesFor(c.env);
      const contact: Contact | undefined =
        email !== undefined ? { kind: "email", value: email } : phone !== undefined ? { kind: "phone", value: phone } : undefined;
      const contactChange = contact ? await provenContactChange(services, session.user.id, contact) : {};
      await editProfile(services, session.user.id, { ...present({ ...rest, name: nickname, picture: avatar_url }), ...contactChange });
      return c.json({}, 200, PRIVATE);
    },
  });

  endpoint(app, "/auth/v1/user/profile", {
    PATCH: async (c) => {
      const session = await signedIn(c);
      const body = await readBody(c.req.raw, ProfileBody);
      const user = await editProfile(servicesFor(c.env), session.user.id, present(body));
      return c.json(publicUser(user), 200, PRIVATE);
    },
  });
}
