// Sign-in with other identity providers (docs/providers.md): GET /provider/uri, GET
// /provider/callback, POST /provider/token and POST /signin/with/provider.
import type { Hono } from "hono";
import * as v from "valibot";
import { ProviderToken, ProviderUri, TokenResponse } from "../api/answers";
import { takeHourlySlot } from "../auth/per-ip-hourly";
import { signInWithIdentity } from "../auth/provider-accounts";
import { requireProviderEnabled } from "../auth/switches";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { logAuthEvent } from "../observability/auth-events";
import { configuredProvider, finishCallback, identityOfProviderToken, redeemProviderCode, startFlow, type PresentedIdentity } from "../providers/flows";
import { identityOfIdToken, looksLikeJwt } from "../providers/id-token";
import { servicesFor, type Services } from "../services";
import { NO_STORE } from "./token-response";
import { endpoint, operation } from "./operation";

const ProviderId = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be a configured provider id"));
/** The client's state: passed through unchanged, so only bounded and printable. */
const ClientState = v.pipe(v.string(), v.regex(/^[\x20-\x7e]{1,512}$/, "must be 1-512 printable ASCII characters"));
const Page = v.pipe(v.string(), v.maxLength(2048));

export const ProviderUriQuery = v.object({
  provider_id: ProviderId,
  state: ClientState,
  redirect_uri: Page,
});

export const ProviderTokenBody = v.object({
  provider_id: ProviderId,
  provider_redirect_uri: Page,
  provider_code: v.pipe(v.string(), v.nonEmpty(), v.maxLength(256)),
});

export const SigninWithProviderBody = v.object({
  provider_token: v.pipe(v.string(), v.nonEmpty(), v.maxLength(8192)),
  provider_id: v.optional(ProviderId),
  /** With an ID token: the nonce the app put in its authentication request. */
  nonce: v.optional(v.pipe(v.string(), v.maxLength(512))),
});

/**
 * The identity a `provider_token` stands for: a token from POST /provider/token, or an ID token
 * of a configured issuer. Anything else is invalid_grant.
 */
export async function presentedIdentity(services: Services, token: string, nonce?: string): Promise<PresentedIdentity> {
  if (looksLikeJwt(token)) return identityOfIdToken(services, token, nonce);
  const presented = await identityOfProviderToken(services, token);
  if (!presented) throw new ApiError("invalid_grant", { description: "The provider token is invalid, expired or used" });
  return presented;
}

export function registerProviders(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/provider/uri", {
    GET: operation({
      operationId: "getProviderUri",
      tag: "Providers",
      summary: "Start a sign-in with a provider: its authorization URL",
      description:
        "`redirect_uri` is the app page (origin + path) the flow returns to; it must be allowed by `PROVIDER_REDIRECT_URIS`. The provider returns to the service (`/auth/v1/provider/callback`), which keeps the client's `state`, the PKCE verifier and the nonce, and then sends the browser to the app page with `code`, `state` (unchanged) and `provider`. At most `PROVIDER_FLOWS_PER_IP_PER_HOUR` flows per IP.",
      query: ProviderUriQuery,
      success: { status: 200, description: "The URL to send the user to", schema: ProviderUri, headers: NO_STORE },
      errors: ["invalid_argument", "rate_limit_exceeded", "unimplemented"],
      handle: async (c, { query }) => {
        const services = servicesFor(c.env);
        configuredProvider(services, query.provider_id);
        await requireProviderEnabled(services, query.provider_id);
        // Each flow keeps state in a flow object for a while.
        await takeHourlySlot(services, "provider-flows", c.req.header("cf-connecting-ip") ?? null, services.config.providerFlowsPerIpPerHour);
        const url = await startFlow(services, { providerId: query.provider_id, clientState: query.state, appPage: query.redirect_uri });
        // The clients decodeURIComponent the uri once: escape every % so the result is this URL.
        return { uri: url.replaceAll("%", "%25") };
      },
    }),
  });

  endpoint(app, "/auth/v1/provider/callback", {
    GET: operation({
      operationId: "providerCallback",
      tag: "Providers",
      summary: "Where providers send the user back to (not for apps)",
      description:
        "Takes the flow named by `state` once, exchanges the provider's code (with PKCE where the provider supports it, and the nonce checked for OpenID Connect) and redirects to the app page with a one-time `code`, or with `error` when the provider refused or failed. An unknown, expired or replayed `state` is `invalid_grant`.",
      success: { status: 302, description: "To the app page", headers: { ...NO_STORE, "Referrer-Policy": "no-referrer" } },
      errors: ["invalid_grant"],
      handle: async (c) => {
        const services = servicesFor(c.env);
        const outcome = await finishCallback(services, new URL(c.req.url).searchParams);
        if (outcome.failure) {
          const cause = outcome.failure.cause;
          logAuthEvent(c.get("requestId"), {
            event: "provider.failed",
            provider: outcome.failure.provider,
            message: cause instanceof Error ? cause.message : String(cause),
          });
        }
        return { location: outcome.redirect };
      },
    }),
  });

  endpoint(app, "/auth/v1/provider/token", {
    POST: operation({
      operationId: "grantProviderToken",
      tag: "Providers",
      summary: "Redeem the one-time code from the app page for a provider token",
      description: "The code is good once, within 5 minutes, for the provider and app page it was issued to.",
      body: ProviderTokenBody,
      success: { status: 200, description: "A provider token", schema: ProviderToken, headers: NO_STORE },
      errors: ["invalid_argument", "invalid_grant"],
      handle: async (c, { body }) => {
        const services = servicesFor(c.env);
        const token = await redeemProviderCode(services, {
          providerId: body.provider_id,
          appPage: body.provider_redirect_uri,
          code: body.provider_code,
        });
        return token;
      },
    }),
  });

  endpoint(app, "/auth/v1/signin/with/provider", {
    POST: operation({
      operationId: "signInWithProvider",
      tag: "Providers",
      summary: "Sign in with a provider token or an ID token of a configured issuer",
      description:
        "`provider_token` is a token from POST /auth/v1/provider/token, or an OpenID Connect ID token (signInWithIdToken) verified against its issuer's keys (`iss`, `aud`, `exp`, and `nonce` when given). An identity linked to a user signs that user in; a new one is linked by a verified email when the provider's entry allows it, or signs up (with `signup` on and `auto_signup`), else `user_not_found` and the app continues with POST /auth/v1/signup {provider_token}.",
      body: SigninWithProviderBody,
      success: { status: 200, description: "Signed in", schema: TokenResponse, headers: NO_STORE },
      errors: ["invalid_argument", "invalid_grant", "already_exists", "failed_precondition", "user_not_found", "invalid_status", "unimplemented"],
      handle: async (c, { body }) => {
        const services = servicesFor(c.env);
        const requestId = c.get("requestId");
        try {
          const presented = await presentedIdentity(services, body.provider_token, body.nonce);
          if (body.provider_id !== undefined && body.provider_id !== presented.identity.provider) {
            throw new ApiError("invalid_grant", { description: "The provider token is from another provider" });
          }
          const tokens = await signInWithIdentity(services, presented);
          logAuthEvent(requestId, { event: "signin.succeeded", method: "provider", sub: tokens.sub, provider: presented.identity.provider });
          return tokens;
        } catch (err) {
          if (err instanceof ApiError) logAuthEvent(requestId, { event: "signin.failed", method: "provider", reason: err.error });
          throw err;
        }
      },
    }),
  });
}
