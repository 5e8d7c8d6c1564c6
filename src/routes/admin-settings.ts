// Admin switches (contract §4): GET and PATCH /auth/v1/admin/settings.
import type { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../http/context";
import { readBody } from "../http/body";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import { readSettings, writeSettings } from "../storage/settings";

export const SettingsPatch = v.object({
  username_password_signin: v.optional(v.boolean()),
  verification_signin: v.optional(v.boolean()),
  signup: v.optional(v.boolean()),
});

export function registerAdminSettings(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/admin/settings", {
    GET: async (c) => c.json(await readSettings(c.env.DB, servicesFor(c.env).config.settingDefaults)),
    PATCH: async (c) => {
      const changes = await readBody(c.req.raw, SettingsPatch);
      await writeSettings(c.env.DB, changes);
      return c.json(await readSettings(c.env.DB, servicesFor(c.env).config.settingDefaults));
    },
  });
}
