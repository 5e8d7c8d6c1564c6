// Sign-in with other identity providers (docs/providers.md): GET /provider/uri, GET
// /provider/callback, POST /provider/token and POST /signin/with/provider.
import type { Context, Hono } from "hono";
import * as v from "valibot";
import { signInWithIdentity } from "../auth/provider-accounts";
import { requireProviderEnabled } from "../auth/switches";
import { sha256Base64Url } from "../crypto/compare";
import { ApiError } from "../errors";
import { readBody, validate } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { retryAfter } from "../limits/fixed-window";
import { logAuthEvent } from "../observability/auth-events";
import { configuredProvider, finishCallback, identityOfProviderToken, redeemProviderCode, startFlow, type PresentedIdentity } from "../providers/flows";
import { identityOfIdToken, looksLikeJwt } from "../providers/id-token";
import { servicesFor, type Services } from "../services";
import { NO_STORE } from "./token-response";

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

const HOUR_MS = 3_600_000;

/** Per-IP budget of flows started (each keeps state in a flow object for a while). */
async function takeFlowSlot(services: Services, clientIp: string | null): Promise<void> {
  const key = `provider-flows:${await sha256Base64Url(`ip:${clientIp ?? ""}`)}`;
  const verdict = await services.rateWindows.consume(key, { limit: services.config.providerFlowsPerIpPerHour, windowMs: HOUR_MS });
  if (!verdict.allowed) throw new ApiError("rate_limit_exceeded", { headers: retryAfter(verdict) });
}

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

function queryOf(c: Context<AppEnv>): Record<string, string> {
  return Object.fromEntries(new URL(c.req.url).searchParams);
}

export function registerProviders(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/provider/uri", {
    GET: async (c) => {
      const query = validate(ProviderUriQuery, queryOf(c));
      const services = servicesFor(c.env);
      configuredProvider(services, query.provider_id);
      await requireProviderEnabled(services, query.provider_id);
      await takeFlowSlot(services, c.req.header("cf-connecting-ip") ?? null);
      const url = await startFlow(services, { providerId: query.provider_id, clientState: query.state, appPage: query.redirect_uri });
      // The clients decodeURIComponent the uri once: escape every % so the result is this URL.
      return c.json({ uri: url.replaceAll("%", "%25") }, 200, NO_STORE);
    },
  });

  endpoint(app, "/auth/v1/provider/callback", {
    GET: async (c) => {
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
      return c.body(null, 302, { Location: outcome.redirect, ...NO_STORE, "Referrer-Policy": "no-referrer" });
    },
  });

  endpoint(app, "/auth/v1/provider/token", {
    POST: async (c) => {
      const body = await readBody(c.req.raw, ProviderTokenBody);
      const services = servicesFor(c.env);
      const token = await redeemProviderCode(services, {
        providerId: body.provider_id,
        appPage: body.provider_redirect_uri,
        code: body.provider_code,
      });
      return c.json(token, 200, NO_STORE);
    },
  });

  endpoint(app, "/auth/v1/signin/with/provider", {
    POST: async (c) => {
      const body = await readBody(c.req.raw, SigninWithProviderBody);
      const services = servicesFor(c.env);
      const requestId = c.get("requestId");
      try {
        const presented = await presentedIdentity(services, body.provider_token, body.nonce);
        if (body.provider_id !== undefined && body.provider_id !== presented.identity.provider) {
          throw new ApiError("invalid_grant", { description: "The provider token is from another provider" });
        }
        const tokens = await signInWithIdentity(services, presented);
        logAuthEvent(requestId, { event: "signin.succeeded", method: "provider", sub: tokens.sub, provider: presented.identity.provider });
        return c.json(tokens, 200, NO_STORE);
      } catch (err) {
        if (err instanceof ApiError) logAuthEvent(requestId, { event: "signin.failed", method: "provider", reason: err.error });
        throw err;
      }
    },
  });
}
