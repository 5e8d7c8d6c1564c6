// The per-IP send budget (SENDS_PER_IP_PER_HOUR; past it every send needs a captcha), counted in
// RateWindow objects. A send takes its slot when it is attempted, atomically, so a burst gets no
// more sends past the budget than it allows; a send that did not go out gives its slot back. (The
// service's budget per channel is src/auth/channel-budget.ts.)
import type { Defer } from "../http/background";
import { ipLimitKey } from "../limits/ip-key";
import type { Services } from "../services";
import { ipSendRule } from "./verification-limits";

export interface SendSlot {
  /** True when the budget had room and this send now counts; false when it is spent. */
  taken: Promise<boolean>;
  /** Gives the slot back (if one was taken), after the answer. */
  giveBack(): void;
}

/** The IP's hourly slot. A missing CF-Connecting-IP (only outside Cloudflare) shares one bucket: it fails closed. */
export function takeSendSlot(services: Services, clientIp: string | null, defer: Defer): SendSlot {
  const { config, rateWindows } = services;
  const key = ipLimitKey("ip-sends", clientIp, config.ipV6PrefixLength, config.jwtSigningKeys);
  const rule = ipSendRule(config.sendsPerIpPerHour);
  const taken = key.then((name) => rateWindows.consume(name, rule)).then((verdict) => verdict.allowed);
  return {
    taken,
    giveBack: () =>
      defer(
        Promise.all([key, taken]).then(
          ([name, counted]) => (counted ? rateWindows.giveBack(name, rule) : undefined),
          () => undefined, // nothing was taken
        ),
      ),
  };
}
