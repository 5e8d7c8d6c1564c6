// CORS for browser clients (docs/protocol.md §1). Preflights are answered here, before any storage. The
// admin API is not CORS-enabled: a browser page has no business holding the admin token.
// Cross-site simple requests (a text/plain POST needs no preflight) are refused by originGuard.
import { cors } from "hono/cors";
import { configFor } from "../config";
import { ApiError } from "../errors";
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

const ADMIN_PREFIX = "/auth/v1/admin/";

const publicCors: MiddlewareHandler<AppEnv> = cors({
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

export const corsMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.path.startsWith(ADMIN_PREFIX)) return next();
  return publicCors(c, next);
};

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * With CORS_ORIGINS a list, a state-changing request whose Origin is present and neither listed
 * nor the service's own is refused before any work (its body is not read, nothing is counted).
 * CORS only stops a page from reading the answer; a simple request still runs, so without this a
 * foreign page could spend its visitors' IP budgets or a victim's code sends. Requests without
 * Origin (servers, native apps) are not cross-site and pass.
 */
export const originGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header("origin");
  if (origin === undefined || !STATE_CHANGING.has(c.req.method)) return next();
  const allowed = configFor(c.env).corsOrigins;
  if (allowed.includes("*") || allowed.includes(origin) || origin === new URL(c.req.url).origin) return next();
  throw new ApiError("permission_denied", { description: "Requests from this origin are not allowed" });
};
