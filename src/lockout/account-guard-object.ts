// A Durable Object per account key holding its failures, lock and in-flight attempts. A thin RPC
// shell around policy.ts: the object's single thread makes admit and settle atomic. Failures and
// locks are stored (every write awaited before answering, and only when they change); in-flight
// reservations are kept in memory. An alarm deletes the stored state once nothing in it matters.
import { DurableObject } from "cloudflare:workers";
import type { LockoutPolicy } from "../config";
import {
  admit,
  EMPTY_STATE,
  expiresAt,
  prune,
  settle,
  type Admission,
  type GuardState,
  type Reservation,
  type Settlement,
} from "./policy";

const KEY = "state";
const UNTIL = "until";

type StoredState = Omit<GuardState, "reservations">;

export type AdmissionAnswer = Exclude<Admission, { state: GuardState }> | Omit<Extract<Admission, { kind: "admitted" }>, "state">;

const sameStored = (a: StoredState, b: StoredState) =>
  a.lockedUntil === b.lockedUntil && a.failures.join() === b.failures.join() && a.locks.join() === b.locks.join();

export class AccountGuard extends DurableObject {
  /**
   * In-flight attempts live in memory: exact while the object runs, and a successful sign-in on a
   * clean account writes nothing. If the object were evicted between an admit and its settle
   * (it is idle then only for the length of one hash), that settle still counts its failure.
   */
  private reservations: Reservation[] = [];
  /** What storage holds; this object is its only writer, so it is read once. */
  private stored?: StoredState;

  private async load(): Promise<GuardState> {
    this.stored ??= (await this.ctx.storage.get<StoredState>(KEY)) ?? EMPTY_STATE;
    return { ...this.stored, reservations: this.reservations };
  }

  private async save(state: GuardState, policy: LockoutPolicy): Promise<void> {
    const { reservations, ...stored } = state;
    this.reservations = reservations;
    if (this.stored && sameStored(stored, this.stored)) return;
    this.stored = stored;
    const until = expiresAt({ ...stored, reservations: [] }, policy);
    if (until === undefined) {
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.ctx.storage.put({ [KEY]: stored, [UNTIL]: until });
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
    this.reservations = [];
    this.stored = EMPTY_STATE;
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    const until = await this.ctx.storage.get<number>(UNTIL);
    if (until !== undefined && until > Date.now()) {
      await this.ctx.storage.setAlarm(until);
      return;
    }
    this.stored = EMPTY_STATE;
    await this.ctx.storage.deleteAll();
  }
}
