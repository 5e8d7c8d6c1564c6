// The per-IP send budget (SENDS_PER_IP_PER_HOUR; past it every send needs a captcha), counted in
// RateWindow objects. A send takes its slot when it is attempted, atomically, so a burst gets no
// more sends past the budget than it allows; a send that did not go out gives its slot back. (The
// service's budget per channel is src/auth/channel-budget.ts.)
import type { Defer } from "../http/background";
import type { WindowLimit, WindowVerdict } from "../limits/fixed-window";
import { ipLimitKey } from "../limits/ip-key";
import type { Services } from "../services";
import { ipSendRule } from "./verification-limits";

export interface SendSlot {
  /** The window's verdict: allowed when the send now counts (`count` is the count before it). */
  verdict: Promise<WindowVerdict>;
  /** True when the budget had room and this send now counts; false when it is spent. */
  taken: Promise<boolean>;
  /** Gives the slot back (if one was taken), after the answer. */
  giveBack(): void;
}

function windowSlot(services: Services, key: Promise<string>, rule: WindowLimit, defer: Defer): SendSlot {
  const { rateWindows } = services;
  const verdict = key.then((name) => rateWindows.consume(name, rule));
  const taken = verdict.then((result) => result.allowed);
  return {
    verdict,
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

/** The IP's hourly slot. A missing CF-Connecting-IP (only outside Cloudflare) shares one bucket: it fails closed. */
export function takeSendSlot(services: Services, clientIp: string | null, defer: Defer): SendSlot {
  const { config } = services;
  const key = ipLimitKey("ip-sends", clientIp, config.ipV6PrefixLength, config.jwtSigningKeys);
  return windowSlot(services, key, ipSendRule(config.sendsPerIpPerHour), defer);
}
