// The RateWindow Durable Objects (src/limits/rate-window-object.ts), one per limited key, behind
// calls named for what they do. An unreachable object is 503 `unavailable`, never a pass.
import type { Env } from "../env";
import { failClosed } from "./fail-closed";
import type { WindowLimit, WindowVerdict } from "../limits/fixed-window";

export class RateWindowStore {
  constructor(private readonly env: Env) {}

  private window(key: string) {
    return this.env.RATE_WINDOWS.get(this.env.RATE_WINDOWS.idFromName(key));
  }

  /** The verdict without counting anything. */
  check(key: string, rule: WindowLimit) {
    return failClosed<WindowVerdict>(() => this.window(key).check(rule));
  }

  /** Counts one event if the limit allows it; the verdict says whether it did. */
  consume(key: string, rule: WindowLimit) {
    return failClosed<WindowVerdict>(() => this.window(key).consume(rule));
  }

  /** Gives back one event counted by `consume` (a send that did not go out). */
  giveBack(key: string, rule: WindowLimit) {
    return failClosed<void>(() => this.window(key).release(rule));
  }

  /** Admits one event whose outcome is pending (a password attempt); it holds a slot until settled. */
  reserve(key: string, rule: WindowLimit) {
    return failClosed<WindowVerdict & { reservationId?: string }>(() => this.window(key).reserve(rule));
  }

  /** Settles a reservation: `happened` counts the event (a failure), otherwise the slot is freed. */
  settle(key: string, rule: WindowLimit, reservationId: string, happened: boolean) {
    return failClosed<void>(() => this.window(key).settle(rule, reservationId, happened));
  }
}
