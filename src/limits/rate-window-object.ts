// A Durable Object per limited key (`ip-failures:<ip>`, ...) holding one fixed window. A thin RPC
// shell around fixed-window.ts: one object per key makes each consume atomic. Reservations of
// events whose outcome is pending are kept in memory (they last one password check); the counted
// window is stored. An alarm deletes the state when the window ends.
import { DurableObject } from "cloudflare:workers";
import {
  consume,
  expireWindowReservations,
  reserve,
  settleReservation,
  verdict,
  type WindowLimit,
  type WindowReservation,
  type WindowState,
  type WindowVerdict,
} from "./fixed-window";

const KEY = "window";

export class RateWindow extends DurableObject {
  private reservations: WindowReservation[] = [];

  private async load(): Promise<WindowState | undefined> {
    return this.ctx.storage.get<WindowState>(KEY);
  }

  private async save(state: WindowState, rule: WindowLimit): Promise<void> {
    await this.ctx.storage.put(KEY, state);
    await this.ctx.storage.setAlarm(state.start + rule.windowMs);
  }

  /** The verdict without counting (reservations that expired unsettled have counted by now). */
  async check(rule: WindowLimit, now = Date.now()): Promise<WindowVerdict> {
    const stored = await this.load();
    const expired = expireWindowReservations(stored, this.reservations, rule, now);
    this.reservations = expired.reservations;
    await this.saveIfChanged(stored, expired.state, rule);
    return verdict(expired.state, rule, now);
  }

  /** Counts one event if allowed. */
  async consume(rule: WindowLimit, now = Date.now()): Promise<WindowVerdict> {
    const result = consume(await this.load(), rule, now);
    if (result.verdict.allowed) await this.save(result.state, rule);
    return result.verdict;
  }

  /**
   * Admits one event whose outcome is pending (a password attempt that may fail): pending events
   * count against the limit until settled, so concurrent attempts cannot overshoot it.
   */
  async reserve(rule: WindowLimit, now = Date.now()): Promise<WindowVerdict & { reservationId?: string }> {
    const stored = await this.load();
    const id = crypto.randomUUID();
    const result = reserve(stored, this.reservations, rule, id, now);
    this.reservations = result.reservations;
    await this.saveIfChanged(stored, result.state, rule);
    return result.verdict.allowed ? { ...result.verdict, reservationId: id } : result.verdict;
  }

  /** Settles a reservation: `happened` counts the event (a failure), otherwise it is dropped. */
  async settle(rule: WindowLimit, reservationId: string, happened: boolean, now = Date.now()): Promise<void> {
    const stored = await this.load();
    const result = settleReservation(stored, this.reservations, rule, reservationId, happened, now);
    this.reservations = result.reservations;
    await this.saveIfChanged(stored, result.state, rule);
  }

  private async saveIfChanged(before: WindowState | undefined, after: WindowState, rule: WindowLimit): Promise<void> {
    if (before && before.start === after.start && before.count === after.count) return;
    if (!before && after.count === 0) return;
    await this.save(after, rule);
  }

  /** Gives back one counted event (a send that did not go out); never below zero. */
  async release(rule: WindowLimit, now = Date.now()): Promise<void> {
    const state = await this.load();
    if (!state || now >= state.start + rule.windowMs || state.count === 0) return;
    await this.save({ ...state, count: state.count - 1 }, rule);
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
