// A Durable Object per contact (phone number or email; an email by its canonical mailbox): its
// recent sends, its live codes, its recent wrong codes and its verification tokens. A thin RPC shell around contact-state.ts: each method reads the state,
// applies one pure change and writes it back with the synchronous storage API, with no await in
// between, so concurrent calls (two right guesses, two redemptions) run strictly one after the
// other. An alarm deletes everything once nothing in it matters any more.
import { DurableObject } from "cloudflare:workers";
import type { Usage } from "../auth/verification-contact";
import type { ContactPolicy, ContactSendVerdict } from "../auth/verification-limits";
import {
  claimToken,
  discardSend,
  EMPTY_STATE,
  fromStored,
  keepUntil,
  prune,
  recordSend,
  releaseToken,
  spendGuess,
  takeProof,
  type Claimed,
  type ContactState,
  type Guess,
  type GuessOutcome,
  type NewSend,
} from "./contact-state";

/** The one storage key: the whole state, a few hundred bytes. */
export const STATE_KEY = "state";

export type Claim = Claimed & { claim: string };

// Callers pass `now` (the Worker's clock): the decisions stay functions of the time they are given.
export class ContactVerifier extends DurableObject {
  /** The time the alarm was last set to by this instance, so an unchanged one is not set again. */
  private alarmAt: number | undefined;

  private read(now: number): ContactState {
    const stored = this.ctx.storage.kv.get<ContactState>(STATE_KEY);
    return prune(stored ? fromStored(stored) : EMPTY_STATE, now);
  }

  private async write(state: ContactState): Promise<void> {
    const until = keepUntil(state);
    if (until === undefined) {
      // Nothing left: free the object's storage entirely. Both deletions are issued in this turn,
      // so whatever a later call writes is ordered after them and survives.
      this.alarmAt = undefined;
      await Promise.all([this.ctx.storage.deleteAll(), this.ctx.storage.deleteAlarm()]);
      return;
    }
    this.ctx.storage.kv.put(STATE_KEY, state);
    if (until !== this.alarmAt) {
      this.alarmAt = until;
      await this.ctx.storage.setAlarm(until);
    }
  }

  /** Records the send and its code if the limits (or a passed captcha) let it through, in one step. */
  async recordSend(send: NewSend, policy: ContactPolicy, now: number): Promise<ContactSendVerdict> {
    const { state, verdict } = recordSend(this.read(now), send, policy, now);
    if (verdict.kind === "allowed") await this.write(state);
    return verdict;
  }

  /** Forgets a send whose delivery failed. */
  async discardSend(idHash: string, now: number): Promise<void> {
    await this.write(discardSend(this.read(now), idHash));
  }

  /** One counted guess; `verified` when it was right and the token of `guess` now stands for the code. */
  async spendGuess(guess: Guess, policy: ContactPolicy, now: number): Promise<GuessOutcome> {
    const before = this.read(now);
    const { state, outcome } = spendGuess(before, guess, policy, now);
    if (state !== before) await this.write(state);
    return outcome;
  }

  /** Marks an unused token of one of `usages` as used; undefined for any token that cannot be. */
  async claimToken(tokenHash: string, usages: readonly Usage[], now: number): Promise<Claim | undefined> {
    const claim = crypto.randomUUID();
    const { state, claimed } = claimToken(this.read(now), tokenHash, usages, claim, now);
    if (!claimed) return undefined;
    await this.write(state);
    return { ...claimed, claim };
  }

  /** Gives a claimed token back, when what it was claimed for could not complete. */
  async releaseToken(tokenHash: string, claim: string, now: number): Promise<void> {
    await this.write(releaseToken(this.read(now), tokenHash, claim));
  }

  /** Uses up a proof that `userId` verified this contact moments ago; false when there is none. */
  async takeProof(userId: string, now: number): Promise<boolean> {
    const { state, taken } = takeProof(this.read(now), userId, now);
    if (taken) await this.write(state);
    return taken;
  }

  override async alarm(): Promise<void> {
    this.alarmAt = undefined; // it has just fired
    await this.write(this.read(Date.now()));
  }
}
