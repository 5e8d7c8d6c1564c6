// A Durable Object per provider sign-in flow, named by the flow id: a thin RPC shell around
// flow-state.ts. One thread per object makes every step atomic (two callbacks, two redemptions or
// two sign-ins with one token: one wins). An alarm deletes the flow once it can no longer be used.
import { DurableObject } from "cloudflare:workers";
import {
  issueCode,
  peekToken,
  redeemCode,
  spendToken,
  takeStart,
  type FlowStart,
  type FlowState,
  type ProviderIdentity,
  type Redemption,
} from "./flow-state";

const KEY = "flow";

export class ProviderFlow extends DurableObject {
  private async load(): Promise<FlowState | undefined> {
    return this.ctx.storage.get<FlowState>(KEY);
  }

  /** Every write awaited before answering, and the alarm moved to the state's expiry. */
  private async save(state: FlowState): Promise<void> {
    await this.ctx.storage.put(KEY, state);
    await this.ctx.storage.setAlarm(state.expiresAt);
  }

  /** Starts the flow; false if this id was used before (ids are random: never in practice). */
  async start(start: FlowStart, expiresAt: number): Promise<boolean> {
    if (await this.load()) return false;
    await this.save({ phase: "started", expiresAt, ...start });
    return true;
  }

  async takeStart(now = Date.now()): Promise<FlowStart | undefined> {
    const result = takeStart(await this.load(), now);
    if (result.state) await this.save(result.state);
    return result.start;
  }

  async issueCode(identity: ProviderIdentity, codeHash: string, expiresAt: number): Promise<boolean> {
    const next = issueCode(await this.load(), identity, codeHash, expiresAt);
    if (next) await this.save(next);
    return next !== undefined;
  }

  async redeemCode(redemption: Redemption, now = Date.now()): Promise<ProviderIdentity | undefined> {
    const result = redeemCode(await this.load(), redemption, now);
    if (result.state) await this.save(result.state);
    return result.identity;
  }

  async peekToken(tokenHash: string, now = Date.now()): Promise<ProviderIdentity | undefined> {
    return peekToken(await this.load(), tokenHash, now);
  }

  async spendToken(tokenHash: string, now = Date.now()): Promise<boolean> {
    const next = spendToken(await this.load(), tokenHash, now);
    if (next) await this.save(next);
    return next !== undefined;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
