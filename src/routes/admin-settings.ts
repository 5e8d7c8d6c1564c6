// Admin switches (docs/protocol.md §4): GET and PATCH /auth/v1/admin/settings.
import type { Hono } from "hono";
import * as v from "valibot";
import { Settings } from "../api/answers";
import { perSwitch } from "../auth/switch-table";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { endpoint, operation } from "./operation";

export const SettingsPatch = v.object({
  ...perSwitch(() => v.optional(v.boolean())),
  /** Per configured provider id (AUTH_PROVIDERS): whether sign-in with it is on. */
  provider_signin: v.optional(v.record(v.string(), v.boolean())),
});

export function registerAdminSettings(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/admin/settings", {
    GET: operation({
      operationId: "adminGetSettings",
      tag: "Admin",
      summary: "The sign-in method switches",
      success: { status: 200, description: "Current settings", schema: Settings },
      errors: [],
      auth: "admin",
      handle: async (c) => {
        const { settings, config } = servicesFor(c.env);
        return await settings.read(config.settingDefaults);
      },
    }),
    PATCH: operation({
      operationId: "adminUpdateSettings",
      tag: "Admin",
      summary: "Turn sign-in methods or signup on or off",
      description: "In force everywhere within 10 s.",
      body: SettingsPatch,
      success: { status: 200, description: "Settings after the change", schema: Settings },
      errors: ["invalid_argument"],
      auth: "admin",
      handle: async (c, { body }) => {
        const changes = body;
        const { settings, config } = servicesFor(c.env);
        const unknown = Object.keys(changes.provider_signin ?? {}).filter((id) => !config.providers.has(id));
        if (unknown.length) {
          throw new ApiError("invalid_argument", {
            details: unknown.map((id) => ({ path: `provider_signin.${id}`, message: "no such provider in AUTH_PROVIDERS" })),
          });
        }
        return await settings.write(changes, config.settingDefaults);
      },
    }),
  });
}
