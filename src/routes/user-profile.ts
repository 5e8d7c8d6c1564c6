// The signed-in user edits their profile: POST /auth/v1/user/basic/edit (the js-sdk's updateUser,
// answered `{}`; the client then reads /user/me) and PATCH /auth/v1/user/profile (the deprecated
// setUserProfile: the client stores the answer as its user, so it is the whole /user/me object).
// Names differ between the two (nickname/name, avatar_url/picture); both land in the same fields.
import type { Hono } from "hono";
import * as v from "valibot";
import { Empty, User } from "../api/answers";
import { provenContactChange } from "../auth/contact-change";
import { editProfile } from "../auth/profile";
import type { Contact } from "../auth/verification-contact";
import { ApiError } from "../errors";
import { USERNAME_PATTERN } from "../auth/identifiers";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import type { Profile } from "../storage/users";
import { publicUser } from "../storage/users";
import { PRIVATE } from "./bearer";
import { Email, Phone } from "./admin-users";
import { Name } from "./schemas";
import { endpoint, operation } from "./operation";

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
    POST: operation({
      operationId: "editBasicInfo",
      tag: "Account",
      summary: "Edit the signed-in user's profile (js-sdk updateUser)",
      description:
        "`nickname` (shown as `name`), `avatar_url` (an https URL, shown as `picture`), `gender`, `description`, `username` (unique: a taken one is `failed_precondition`). An empty string clears a field; absent fields stay. Answers `{}`; read the user from GET /auth/v1/user/me.",
      body: BasicEditBody,
      success: { status: 200, description: "Changed", schema: Empty, headers: PRIVATE },
      errors: ["invalid_argument", "failed_precondition"],
      auth: "user",
      handle: async (c, { body, session }) => {
        const { nickname, avatar_url, email, phone, ...rest } = body;
        if (email !== undefined && phone !== undefined) {
          throw new ApiError("invalid_argument", { details: [{ path: "(body)", message: "change one contact at a time" }] });
        }
        const services = servicesFor(c.env);
        const contact: Contact | undefined =
          email !== undefined ? { kind: "email", value: email } : phone !== undefined ? { kind: "phone", value: phone } : undefined;
        const contactChange = contact ? await provenContactChange(services, session.user.id, contact) : {};
        await editProfile(services, session.user.id, { ...present({ ...rest, name: nickname, picture: avatar_url }), ...contactChange });
        return {};
      },
    }),
  });

  endpoint(app, "/auth/v1/user/profile", {
    PATCH: operation({
      operationId: "setUserProfile",
      tag: "Account",
      summary: "Edit the signed-in user's profile, answering the whole user",
      description: "As POST /auth/v1/user/basic/edit with the /user/me names (`name`, `picture`).",
      body: ProfileBody,
      success: { status: 200, description: "The user after the change", schema: User, headers: PRIVATE },
      errors: ["invalid_argument", "failed_precondition"],
      auth: "user",
      handle: async (c, { body, session }) => {
        const user = await editProfile(servicesFor(c.env), session.user.id, present(body));
        return publicUser(user);
      },
    }),
  });
}
