// Admin switches (docs/protocol.md §4): GET and PATCH /auth/v1/admin/settings.
import type { Hono } from "hono";
import * as v from "valibot";
import { perSwitch } from "../auth/switch-table";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { readBody } from "../http/body";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";

export const SettingsPatch = v.object({
  ...perSwitch(() => v.optional(v.boolean())),
  /** Per configured provider id (AUTH_PROVIDERS): whether sign-in with it is on. */
  provider_signin: v.optional(v.record(v.string(), v.boolean())),
});

export function registerAdminSettings(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/admin/settings", {
    GET: async (c) => {
      const { settings, config } = servicesFor(c.env);
      return c.json(await settings.read(config.settingDefaults));
    },
    PATCH: async (c) => {
      const changes = await readBody(c.req.raw, SettingsPatch);
      const { settings, config } = servicesFor(c.env);
      const unknown = Object.keys(changes.provider_signin ?? {}).filter((id) => !config.providers.has(id));
      if (unknown.length) {
        throw new ApiError("invalid_argument", {
          details: unknown.map((id) => ({ path: `provider_signin.${id}`, message: "no such provider in AUTH_PROVIDERS" })),
        });
      }
      return c.json(await settings.write(changes, config.settingDefaults));
    },
  });
}
