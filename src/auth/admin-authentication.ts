// Who may call the admin API (`/auth/v1/admin/*`): the bearer of ADMIN_API_TOKEN, compared in
// constant time; with no token configured the admin API is off. Failed calls are limited per client
// IP (ADMIN_FAILURES_PER_IP_PER_HOUR, a RateWindow under the keyed, masked IP key of
// src/limits/ip-key.ts; docs/security.md, "Failed admin calls per IP").
//
// From an IP over the limit every call answers 429, a right token too: were a right token let
// through, 429-or-200 would tell a guess right from wrong and the limit would bound nothing. A
// wrong (or missing) token is counted atomically in its window before it is answered, and only
// an answer counted within the limit says "wrong": of any number of concurrent guesses at most the
// limit get 403, the rest 429, which a right guess would also have got at that point. A right
// token only reads the window, so an operator's parallel calls hold no slots.
import { secretsEqual } from "../crypto/compare";
import { ApiError } from "../errors";
import { retryAfter } from "../limits/fixed-window";
import { ipLimitKey } from "../limits/ip-key";
import type { Services } from "../services";

const HOUR_MS = 3_600_000;

/**
 * Passes the bearer of the admin token; otherwise throws 403 `permission_denied`, or 429
 * `rate_limit_exceeded` (with Retry-After) from an IP over its limit, or 503 `unavailable` when the
 * window cannot be reached. A missing CF-Connecting-IP (only outside Cloudflare) shares one bucket.
 */
export async function authenticateAdmin(services: Services, presented: string | undefined, clientIp: string | null): Promise<void> {
  const { config, rateWindows } = services;
  const expected = config.adminApiToken;
  if (expected === undefined) {
    throw new ApiError("permission_denied", { description: "The admin API is off: set the ADMIN_API_TOKEN secret" });
  }
  const rule = { limit: config.adminFailuresPerIpPerHour, windowMs: HOUR_MS };
  const [key, right] = await Promise.all([
    ipLimitKey("admin-failures", clientIp, config.ipV6PrefixLength, config.jwtSigningKeys),
    presented !== undefined && secretsEqual(presented, expected),
  ]);
  // The comparison decides nothing until the window has answered.
  const verdict = right ? await rateWindows.check(key, rule) : await rateWindows.consume(key, rule);
  if (!verdict.allowed) throw new ApiError("rate_limit_exceeded", { headers: retryAfter(verdict) });
  if (!right) throw new ApiError("permission_denied", { description: "The admin token is missing or wrong" });
}
