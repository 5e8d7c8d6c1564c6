// Per-IP hourly budgets of things that cost the service something to make: guests (a D1 row each),
// provider flows (state in a flow object) and image challenges (a PNG drawn and encoded). Past the
// budget: 429 with Retry-After. The key is the keyed, masked IP key (src/limits/ip-key.ts); a
// missing CF-Connecting-IP (only outside Cloudflare) shares one bucket.
import { ApiError } from "../errors";
import { retryAfter } from "../limits/fixed-window";
import { ipLimitKey, type IpPurpose } from "../limits/ip-key";
import type { Services } from "../services";

const HOUR_MS = 3_600_000;

export async function takeHourlySlot(services: Services, purpose: IpPurpose, clientIp: string | null, perHour: number): Promise<void> {
  const { config } = services;
  const key = await ipLimitKey(purpose, clientIp, config.ipV6PrefixLength, config.jwtSigningKeys);
  const verdict = await services.rateWindows.consume(key, { limit: perHour, windowMs: HOUR_MS });
  if (!verdict.allowed) throw new ApiError("rate_limit_exceeded", { headers: retryAfter(verdict) });
}
