// A signed-in user's identities at other providers: POST /user/provider/bind, GET /user/provider,
// DELETE /user/provider/{provider_id} (200 `{}`: the clients take a 204 for a network failure).
import type { Hono } from "hono";
import * as v from "valibot";
import { bindIdentity, listIdentities, unlinkIdentity } from "../auth/provider-accounts";
import { ApiError } from "../errors";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { logAuthEvent } from "../observability/auth-events";
import { configuredProvider } from "../providers/flows";
import { servicesFor } from "../services";
import { bearerUser } from "./bearer";
import { presentedIdentity } from "./providers";

export const BindProviderBody = v.object({
  provider_token: v.pipe(v.string(), v.nonEmpty(), v.maxLength(8192)),
  nonce: v.optional(v.pipe(v.string(), v.maxLength(512))),
});

const PRIVATE = { "Cache-Control": "no-store", Vary: "Authorization" };

export function registerUserProviders(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/provider/bind", {
    POST: async (c) => {
      const services = servicesFor(c.env);
      const user = await bearerUser(c);
      const body = await readBody(c.req.raw, BindProviderBody);
      const presented = await presentedIdentity(services, body.provider_token, body.nonce);
      await bindIdentity(services, user, presented);
      logAuthEvent(c.get("requestId"), { event: "identity.linked", provider: presented.identity.provider, sub: user.id });
      return c.json({}, 200, PRIVATE);
    },
  });

  endpoint(app, "/auth/v1/user/provider", {
    GET: async (c) => {
      const services = servicesFor(c.env);
      const user = await bearerUser(c);
      return c.json(await listIdentities(services, user), 200, PRIVATE);
    },
  });

  endpoint(app, "/auth/v1/user/provider/:provider_id", {
    DELETE: async (c) => {
      const services = servicesFor(c.env);
      const user = await bearerUser(c);
      const providerId = c.req.param("provider_id") ?? "";
      if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(providerId)) {
        throw new ApiError("invalid_argument", { details: [{ path: "provider_id", message: "must be a configured provider id" }] });
      }
      configuredProvider(services, providerId);
      await unlinkIdentity(services, user, providerId);
      logAuthEvent(c.get("requestId"), { event: "identity.unlinked", provider: providerId, sub: user.id });
      return c.json({}, 200, PRIVATE);
    },
  });
}
