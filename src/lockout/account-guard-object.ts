// A Durable Object per account key holding its failures, lock and in-flight attempts. A thin RPC
// shell around policy.ts: the object's single thread makes admit and settle atomic, and every
// write is awaited before answering. An alarm deletes the state once nothing in it matters.
import { DurableObject } from "cloudflare:workers";
import type { LockoutPolicy } from "../config";
import { admit, EMPTY_STATE, expiresAt, prune, settle, type Admission, type GuardState, type Settlement } from "./policy";

const KEY = "state";
const UNTIL = "until";

export type AdmissionAnswer = Exclude<Admission, { state: GuardState }> | Omit<Extract<Admission, { kind: "admitted" }>, "state">;

export class AccountGuard extends DurableObject {
  private async load(): Promise<GuardState> {
    return (await this.ctx.storage.get<GuardState>(KEY)) ?? EMPTY_STATE;
  }

  private async save(state: GuardState, policy: LockoutPolicy): Promise<void> {
    const until = expiresAt(state, policy);
    if (until === undefined) {
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.ctx.storage.put({ [KEY]: state, [UNTIL]: until });
    await this.ctx.storage.setAlarm(until);
  }

  /** Admits (and reserves) one password attempt, or says why not. */
  async admit(policy: LockoutPolicy, captchaTokenPresented: boolean, now = Date.now()): Promise<AdmissionAnswer> {
    const admission = admit(await this.load(), captchaTokenPresented, crypto.randomUUID(), now, policy);
    if (admission.kind !== "admitted") return admission;
    await this.save(admission.state, policy);
    return { kind: "admitted", reservationId: admission.reservationId, captchaRequired: admission.captchaRequired };
  }

  /** Records the outcome of an admitted attempt; returns the lock's length if this attempt locked. */
  async settle(policy: LockoutPolicy, reservationId: string, outcome: Settlement, now = Date.now()): Promise<number | null> {
    const before = await this.load();
    const after = settle(before, reservationId, outcome, now, policy);
    await this.save(after, policy);
    return after.lockedUntil > before.lockedUntil ? Math.round((after.lockedUntil - now) / 1000) : null;
  }

  /** The current state, for admin views and tests. */
  async inspect(policy: LockoutPolicy, now = Date.now()): Promise<GuardState> {
    return prune(await this.load(), now, policy);
  }

  /** Admin unlock: forgets failures, locks and reservations. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    const until = await this.ctx.storage.get<number>(UNTIL);
    if (until !== undefined && until > Date.now()) await this.ctx.storage.setAlarm(until);
    else await this.ctx.storage.deleteAll();
  }
}
