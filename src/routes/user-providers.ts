// A signed-in user's identities at other providers: POST /user/provider/bind, GET /user/provider,
// DELETE /user/provider/{provider_id} (200 `{}`: the clients take a 204 for a network failure).
import type { Hono } from "hono";
import * as v from "valibot";
import { Empty, ProviderList } from "../api/answers";
import { bindIdentity, listIdentities, unlinkIdentity } from "../auth/provider-accounts";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { logAuthEvent } from "../observability/auth-events";
import { configuredProvider } from "../providers/flows";
import { servicesFor } from "../services";
import { PRIVATE } from "./bearer";
import { presentedIdentity } from "./providers";
import { endpoint, operation } from "./operation";

export const BindProviderBody = v.object({
  provider_token: v.pipe(v.string(), v.nonEmpty(), v.maxLength(8192)),
  nonce: v.optional(v.pipe(v.string(), v.maxLength(512))),
});

export function registerUserProviders(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/provider/bind", {
    POST: operation({
      operationId: "bindProvider",
      tag: "Providers",
      summary: "Link a provider identity to the signed-in user",
      body: BindProviderBody,
      success: { status: 200, description: "Linked", schema: Empty, headers: PRIVATE },
      errors: ["invalid_argument", "invalid_grant", "failed_precondition", "unimplemented"],
      auth: "user",
      handle: async (c, { body, session: { user } }) => {
        const services = servicesFor(c.env);
        const presented = await presentedIdentity(services, body.provider_token, body.nonce);
        await bindIdentity(services, user, presented);
        logAuthEvent(c.get("requestId"), { event: "identity.linked", provider: presented.identity.provider, sub: user.id });
        return {};
      },
    }),
  });

  endpoint(app, "/auth/v1/user/provider", {
    GET: operation({
      operationId: "listProviders",
      tag: "Providers",
      summary: "The configured providers and which ones the signed-in user has linked",
      success: { status: 200, description: "The providers", schema: ProviderList, headers: PRIVATE },
      errors: [],
      auth: "user",
      handle: async (c, { session: { user } }) => {
        const services = servicesFor(c.env);
        return await listIdentities(services, user);
      },
    }),
  });

  endpoint(app, "/auth/v1/user/provider/:provider_id", {
    DELETE: operation({
      operationId: "unbindProvider",
      tag: "Providers",
      summary: "Unlink a provider identity from the signed-in user",
      description: "Answers 200 `{}` (also when nothing was linked). The account's last way to sign in cannot be unlinked: `failed_precondition`.",
      success: { status: 200, description: "Unlinked", schema: Empty, headers: PRIVATE },
      errors: ["invalid_argument", "failed_precondition"],
      auth: "user",
      handle: async (c, { session: { user } }) => {
        const services = servicesFor(c.env);
        const providerId = c.req.param("provider_id") ?? "";
        if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(providerId)) {
          throw new ApiError("invalid_argument", { details: [{ path: "provider_id", message: "must be a configured provider id" }] });
        }
        configuredProvider(services, providerId);
        await unlinkIdentity(services, user, providerId);
        logAuthEvent(c.get("requestId"), { event: "identity.unlinked", provider: providerId, sub: user.id });
        return {};
      },
    }),
  });
}
