// The per-IP send budget (SENDS_PER_IP_PER_HOUR; past it every send needs a captcha), counted in
// the RateWindow of the hashed client IP. A send takes its slot when it is attempted, atomically,
// so a burst gets no more sends past the budget than it allows; a send that did not go out gives
// its slot back.
import type { Defer } from "../http/background";
import { ipLimitKey } from "../limits/ip-key";
import type { Services } from "../services";
import { ipSendRule } from "./verification-limits";

export interface SendSlot {
  /** True when the IP was under its budget and this send now counts; false when a captcha is needed. */
  taken: Promise<boolean>;
  /** Gives the slot back (if one was taken), after the answer. */
  giveBack(): void;
}

export function takeSendSlot(services: Services, clientIp: string | null, defer: Defer): SendSlot {
  const { rateWindows, config } = services;
  const rule = ipSendRule(config.sendsPerIpPerHour);
  // A missing CF-Connecting-IP (only outside Cloudflare) shares one bucket: it fails closed.
  const key = ipLimitKey("ip-sends", clientIp, config.ipV6PrefixLength);
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
