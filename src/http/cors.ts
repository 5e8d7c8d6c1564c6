// CORS for browser clients (contract §1). Preflights are answered here, before any storage.
import { cors } from "hono/cors";
import { configFor } from "../config";
import type { AppEnv } from "./context";
import type { MiddlewareHandler } from "hono";

// Listed one by one: a `*` would not cover Authorization.
export const CORS_ALLOWED_HEADERS = [
  "content-type",
  "authorization",
  "x-captcha-token",
  "x-request-id",
  "x-device-id",
  "x-sdk-version",
  "accept-language",
  // @cloudbase/oauth used on its own (no js-sdk, so no i18n option) sends its language header
  // under the computed name `undefined` (`{[i18n?.LANG_HEADER_KEY]: i18n?.lang}`); a browser
  // preflights it, and refusing it would stop every call from that client. The value is ignored.
  "undefined",
];

export const corsMiddleware: MiddlewareHandler<AppEnv> = cors({
  origin: (origin, c) => {
    const allowed = configFor(c.env).corsOrigins;
    if (allowed.includes("*")) return "*";
    return allowed.includes(origin) ? origin : null;
  },
  allowMethods: ["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"],
  allowHeaders: CORS_ALLOWED_HEADERS,
  exposeHeaders: ["X-Request-Id", "Retry-After"],
  maxAge: 600,
});
