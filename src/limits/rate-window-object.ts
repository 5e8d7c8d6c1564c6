// A Durable Object per limited key (`ip-failures:<ip>`, ...) holding one fixed window. A thin RPC
// shell around fixed-window.ts: one object per key makes each consume atomic. An alarm deletes
// the state when the window ends.
import { DurableObject } from "cloudflare:workers";
import { consume, current, record, verdict, type WindowLimit, type WindowState, type WindowVerdict } from "./fixed-window";

const KEY = "window";

export class RateWindow extends DurableObject {
  private async load(): Promise<WindowState | undefined> {
    return this.ctx.storage.get<WindowState>(KEY);
  }

  private async save(state: WindowState, rule: WindowLimit): Promise<void> {
    await this.ctx.storage.put(KEY, state);
    await this.ctx.storage.setAlarm(state.start + rule.windowMs);
  }

  /** The verdict without counting. */
  async check(rule: WindowLimit, now = Date.now()): Promise<WindowVerdict> {
    return verdict(current(await this.load(), rule, now), rule, now);
  }

  /** Counts one event if allowed. */
  async consume(rule: WindowLimit, now = Date.now()): Promise<WindowVerdict> {
    const result = consume(await this.load(), rule, now);
    if (result.verdict.allowed) await this.save(result.state, rule);
    return result.verdict;
  }

  /** Counts one event that already happened; returns the verdict for the next one. */
  async record(rule: WindowLimit, now = Date.now()): Promise<WindowVerdict> {
    const state = record(await this.load(), rule, now);
    await this.save(state, rule);
    return verdict(state, rule, now);
  }

  /** Gives back one counted event (a send that did not go out); never below zero. */
  async release(rule: WindowLimit, now = Date.now()): Promise<void> {
    const state = await this.load();
    if (!state || now >= state.start + rule.windowMs || state.count === 0) return;
    await this.save({ ...state, count: state.count - 1 }, rule);
  }

  /** Forgets the window (e.g. a send that failed is given back). */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
