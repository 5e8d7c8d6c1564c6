// Admin user management (docs/protocol.md §4): create, read, change, delete.
import type { Context, Hono } from "hono";
import * as v from "valibot";
import { User } from "../api/answers";
import { deleteAccount } from "../auth/delete-account";
import { normalizeEmail, normalizePhone, USERNAME_PATTERN } from "../auth/identifiers";
import { requireNewPassword, updateCredentials } from "../auth/set-password";
import { randomUserId } from "../crypto/random";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { publicUser, UserConflictError } from "../storage/users";
import { Name, Password } from "./schemas";
import { endpoint, operation } from "./operation";

export const Phone = v.pipe(
  v.string(),
  v.check((value) => normalizePhone(value) !== undefined, "must be a valid phone number like +86 13800138000"),
  v.transform((value) => normalizePhone(value)!),
);
export const Email = v.pipe(
  v.string(),
  v.check((value) => normalizeEmail(value) !== undefined, "must be an email address"),
  v.transform((value) => normalizeEmail(value)!),
);

export const CreateUserBody = v.pipe(
  v.object({
    username: v.optional(v.pipe(v.string(), v.regex(USERNAME_PATTERN))),
    password: v.optional(Password),
    phone_number: v.optional(Phone),
    email: v.optional(Email),
    name: v.optional(Name),
  }),
  v.check(
    (body) => body.username !== undefined || body.phone_number !== undefined || body.email !== undefined,
    "one of username, phone_number or email is required",
  ),
);

export const PatchUserBody = v.object({
  password: v.optional(Password),
  status: v.optional(v.picklist(["ACTIVE", "BLOCKED"])),
  name: v.optional(v.nullable(Name)),
});

const USER_ID = /^[1-9][0-9]{18}$/;

function userIdParam(c: Context<AppEnv>): string {
  const sub = c.req.param("sub") ?? "";
  if (!USER_ID.test(sub)) throw new ApiError("user_not_found", { description: "No user has this id" });
  return sub;
}

const noSuchUser = () => new ApiError("user_not_found", { description: "No user has this id" });

export function registerAdminUsers(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/admin/users", {
    POST: operation({
      operationId: "adminCreateUser",
      tag: "Admin",
      summary: "Create a user",
      body: CreateUserBody,
      success: { status: 201, description: "Created", schema: User },
      errors: ["invalid_argument", "already_exists"],
      auth: "admin",
      handle: async (c, { body }) => {
        const services = servicesFor(c.env);
        if (body.password !== undefined) requireNewPassword(services, body.password, "password");
        try {
          const user = await services.users.insert(
            {
              id: randomUserId(),
              username: body.username ?? null,
              phone: body.phone_number ?? null,
              email: body.email ?? null,
              name: body.name ?? null,
              passwordHash: body.password === undefined ? null : await services.hasher.hash(body.password),
            },
            services.now(),
          );
          return publicUser(user);
        } catch (err) {
          if (err instanceof UserConflictError) throw new ApiError("already_exists");
          throw err;
        }
      },
    }),
  });

  endpoint(app, "/auth/v1/admin/users/:sub", {
    GET: operation({
      operationId: "adminGetUser",
      tag: "Admin",
      summary: "Read a user",
      success: { status: 200, description: "The user", schema: User },
      errors: ["user_not_found"],
      auth: "admin",
      handle: async (c) => {
        const user = await servicesFor(c.env).users.findByIdFresh(userIdParam(c));
        if (!user) throw noSuchUser();
        return publicUser(user);
      },
    }),
    PATCH: operation({
      operationId: "adminUpdateUser",
      tag: "Admin",
      summary: "Change a user's password, status or name",
      description: "A new password or `BLOCKED` revokes all the user's sessions.",
      body: PatchUserBody,
      success: { status: 200, description: "The changed user", schema: User },
      errors: ["invalid_argument", "user_not_found"],
      auth: "admin",
      handle: async (c, { body }) => {
        const sub = userIdParam(c);
        const services = servicesFor(c.env);
        if (!(await services.users.findByIdFresh(sub))) throw noSuchUser();
        // A new password or a change of status ends every session of the user.
        const user = await updateCredentials(services, sub, { password: body.password, status: body.status, name: body.name });
        if (!user) throw noSuchUser();
        return publicUser(user);
      },
    }),
    DELETE: operation({
      operationId: "adminDeleteUser",
      tag: "Admin",
      summary: "Delete a user (and its sessions)",
      success: { status: 204, description: "Deleted" },
      errors: ["user_not_found"],
      auth: "admin",
      handle: async (c) => {
        const sub = userIdParam(c);
        const services = servicesFor(c.env);
        if (!(await services.users.findByIdFresh(sub))) throw noSuchUser();
        if (!(await deleteAccount(services, sub))) throw noSuchUser();
      },
    }),
  });

  endpoint(app, "/auth/v1/admin/users/:sub/lockout", {
    DELETE: operation({
      operationId: "adminClearLockout",
      tag: "Admin",
      summary: "Clear a password lockout",
      success: { status: 204, description: "Cleared" },
      errors: ["user_not_found"],
      auth: "admin",
      handle: async (c) => {
        const sub = userIdParam(c);
        const services = servicesFor(c.env);
        if (!(await services.users.findByIdFresh(sub))) throw noSuchUser();
        await services.accounts.clearLockout(sub);
      },
    }),
  });
}
