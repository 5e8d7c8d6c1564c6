// A Durable Object per account key: `user:<id>` for a user, or the normalised identifier for a
// sign-in name that matches no user (its lockout only). It holds, strongly consistent and near the
// user, everything a hot request of that account must decide:
// - the password lockout (failures, locks, in-flight attempts: src/lockout/policy.ts);
// - the sessions and refresh tokens (rotation, reuse grace, reuse detection: session-table.ts);
// - the credential stamp (credentials.ts) that tells whether a replica's user row is current.
// One thread per object makes every method atomic. Failures and locks are stored (only when they
// change); in-flight reservations live in memory, and an attempt whose settle never arrives counts
// as a failure when its reservation expires. One alarm sweeps whatever has expired.
import { DurableObject } from "cloudflare:workers";
import type { LockoutPolicy } from "../config";
import type { Env } from "../env";
import { decideRefresh } from "../auth/refresh-policy";
import {
  admit,
  EMPTY_STATE,
  expireReservations,
  expiresAt as lockoutExpiresAt,
  settle,
  type Admission,
  type CaptchaProof,
  type GuardState,
  type Reservation,
  type Settlement,
} from "../lockout/policy";
import {
  DELETED_STAMP_RETENTION_MS,
  FRESH_STAMP,
  rowIsCurrent,
  type AccountStatus,
  type CredentialStamp,
  type RowCredentials,
} from "./credentials";
import { SessionTable, type NewSession, type Successor } from "./session-table";

const LOCKOUT = "state";
/** When the stored lockout state stops mattering (computed with the policy when it was saved). */
const LOCKOUT_UNTIL = "until";
const STAMP = "credentials";

/** The lockout state as stored: everything but the in-memory reservations. */
type StoredLockout = Omit<GuardState, "reservations">;

export type AdmissionAnswer = (
  | Exclude<Admission, { kind: "admitted" }>
  | { kind: "admitted"; reservationId: string }
) & { stamp: CredentialStamp };

/** Why a session was not opened: the caller's user row is behind the stamp, or the account is not usable. */
export type OpenAnswer = { kind: "opened" } | { kind: "stale"; stamp: CredentialStamp } | { kind: "blocked" } | { kind: "deleted" };

export type RotateAnswer =
  | { kind: "rotated"; sessionId: string }
  | { kind: "replay"; sessionId: string; successorCiphertext: string | null }
  | { kind: "reuse_detected"; sessionId: string }
  | { kind: "invalid" };

/** The state of a session for `/user/me`, with the stamp the user row must have caught up with. */
export interface SessionCheck {
  live: boolean;
  stamp: CredentialStamp;
}

export interface CredentialChange {
  status?: Exclude<AccountStatus, "DELETED">;
  /** End every session but this one (a user changing their own password keeps theirs). */
  keepSession?: string;
}

export class AccountGuard extends DurableObject<Env> {
  private reservations: Reservation[] = [];
  /** What storage holds; this object is its only writer, so each is read once. */
  private lockout?: StoredLockout;
  private stamp?: CredentialStamp;
  private readonly sessions: SessionTable;
  /** The reuse grace window, learnt from the refresh calls (until then sealed successors are kept). */
  private refreshGraceMs?: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sessions = new SessionTable(ctx.storage.sql);
  }

  // ---- lockout ---------------------------------------------------------------------------------

  private async loadLockout(): Promise<GuardState> {
    this.lockout ??= (await this.ctx.storage.get<StoredLockout>(LOCKOUT)) ?? EMPTY_STATE;
    return { ...this.lockout, reservations: this.reservations };
  }

  private async saveLockout(state: GuardState, policy: LockoutPolicy): Promise<void> {
    const { reservations, ...stored } = state;
    this.reservations = reservations;
    // Compared whole, so a field added to the state is never dropped by a skipped write.
    if (this.lockout && JSON.stringify(stored) === JSON.stringify(this.lockout)) return;
    this.lockout = stored;
    const until = lockoutExpiresAt({ ...stored, reservations: [] }, policy);
    if (until === undefined) {
      await this.ctx.storage.delete([LOCKOUT, LOCKOUT_UNTIL]);
      return;
    }
    await this.ctx.storage.put({ [LOCKOUT]: stored, [LOCKOUT_UNTIL]: until });
    await this.sweepBy(until);
  }

  /** Admits (and reserves) one password attempt, or says why not; always with the stamp. */
  async admit(policy: LockoutPolicy, captcha: CaptchaProof, now = Date.now()): Promise<AdmissionAnswer> {
    const stamp = await this.loadStamp();
    const admission = admit(await this.loadLockout(), captcha, crypto.randomUUID(), now, policy);
    if (admission.kind !== "admitted") return { ...admission, stamp };
    await this.saveLockout(admission.state, policy);
    return { kind: "admitted", reservationId: admission.reservationId, stamp };
  }

  /** Records the outcome of an admitted attempt; returns the lock's length if this attempt locked. */
  async settle(policy: LockoutPolicy, reservationId: string, outcome: Settlement, now = Date.now()): Promise<number | null> {
    const before = await this.loadLockout();
    const after = settle(before, reservationId, outcome, now, policy);
    await this.saveLockout(after, policy);
    return after.lockedUntil > before.lockedUntil && after.lockedUntil > now ? Math.round((after.lockedUntil - now) / 1000) : null;
  }

  /**
   * The end of a password sign-in whose password was right: opens the session if the password
   * checked is still the account's (the stamp has not moved since `expectedVersion`) and settles
   * the attempt, in one call. A sign-in overtaken by a password change or a block opens nothing.
   */
  async completeSignin(
    policy: LockoutPolicy,
    reservationId: string,
    session: NewSession,
    row: RowCredentials,
    now = Date.now(),
  ): Promise<OpenAnswer> {
    const answer = await this.openSession(session, row);
    await this.settle(policy, reservationId, answer.kind === "opened" ? "success" : "neutral", now);
    return answer;
  }

  /** The lockout state, for admin views and tests. */
  async inspect(policy: LockoutPolicy, now = Date.now()): Promise<GuardState> {
    return expireReservations(await this.loadLockout(), now, policy);
  }

  /** Admin unlock (and a password reset): forgets failures, locks and reservations. */
  async clear(): Promise<void> {
    this.reservations = [];
    this.lockout = EMPTY_STATE;
    await this.ctx.storage.delete([LOCKOUT, LOCKOUT_UNTIL]);
  }

  // ---- credentials -----------------------------------------------------------------------------

  private async loadStamp(): Promise<CredentialStamp> {
    this.stamp ??= (await this.ctx.storage.get<CredentialStamp>(STAMP)) ?? FRESH_STAMP;
    return this.stamp;
  }

  private async saveStamp(stamp: CredentialStamp): Promise<void> {
    this.stamp = stamp;
    await this.ctx.storage.put(STAMP, stamp);
  }

  /**
   * First step of any change of password or status: raises the stamp and ends the sessions, before
   * D1 is written with the returned version. Until D1 (and then its replicas) carry that version,
   * sign-ins read the primary; if the D1 write never happens they fail closed.
   */
  async changeCredentials(change: CredentialChange): Promise<number> {
    const stamp = await this.loadStamp();
    // A deleted account stays deleted: a change racing the delete must not revive its stamp.
    const status = stamp.status === "DELETED" ? "DELETED" : (change.status ?? stamp.status);
    const next: CredentialStamp = { ...stamp, version: stamp.version + 1, status };
    this.sessions.endAll(change.keepSession);
    await this.saveStamp(next);
    return next.version;
  }

  /**
   * A contact (phone or email) is changing: the stamp's version rises so that a replica still
   * showing the old contact is not trusted for this user (a code for the contact it gave up must
   * not sign it in), while its sessions and status stay as they are.
   */
  async raiseVersion(): Promise<number> {
    const stamp = await this.loadStamp();
    await this.saveStamp({ ...stamp, version: stamp.version + 1 });
    return stamp.version + 1;
  }

  /** The account is being deleted: every session ends and its stamp says so while replicas catch up. */
  async markDeleted(now = Date.now()): Promise<void> {
    const stamp = await this.loadStamp();
    this.sessions.endAll();
    await this.clear();
    await this.saveStamp({ version: stamp.version + 1, status: "DELETED", deletedAt: now });
    await this.sweepBy(now + DELETED_STAMP_RETENTION_MS);
  }

  async credentials(): Promise<CredentialStamp> {
    return this.loadStamp();
  }

  // ---- sessions --------------------------------------------------------------------------------

  /**
   * Opens a session for a user as its row was read. A row behind the stamp is stale; a current
   * row's status counts as much as the stamp's (a user blocked before its object existed).
   */
  async openSession(session: NewSession, row: RowCredentials): Promise<OpenAnswer> {
    const stamp = await this.loadStamp();
    if (stamp.status === "DELETED") return { kind: "deleted" };
    if (!rowIsCurrent(row.version, stamp)) return { kind: "stale", stamp };
    if (stamp.status === "BLOCKED" || row.status !== "ACTIVE") return { kind: "blocked" };
    this.sessions.open(session);
    await this.sweepBy(session.sessionExpiresAt);
    return { kind: "opened" };
  }

  /**
   * Presents a refresh token: rotates it (storing the successor the caller made), replays the
   * successor within the grace window, or detects reuse and ends the session. One atomic step, so
   * of any number of concurrent refreshes of one token exactly one rotates it.
   */
  async rotateRefresh(tokenHash: string, successor: Successor, graceSeconds: number, now = Date.now()): Promise<RotateAnswer> {
    this.refreshGraceMs = graceSeconds * 1000;
    const stamp = await this.loadStamp();
    const state = this.sessions.findRefresh(tokenHash);
    if (!state || stamp.status !== "ACTIVE") return { kind: "invalid" };
    const decision = decideRefresh(state, now, graceSeconds);
    switch (decision.kind) {
      case "rotate":
        this.sessions.rotate(tokenHash, state, successor, now);
        await this.sweepBy(now + this.refreshGraceMs + 1);
        return { kind: "rotated", sessionId: state.sessionId };
      case "replay_successor":
        return { kind: "replay", sessionId: state.sessionId, successorCiphertext: state.successorCiphertext };
      case "reuse_detected":
        // Ending the session kills every token of it, the newest included.
        this.sessions.end(state.sessionId);
        return { kind: "reuse_detected", sessionId: state.sessionId };
      case "refuse":
        return { kind: "invalid" };
    }
  }

  async checkSession(sessionId: string, now = Date.now()): Promise<SessionCheck> {
    const stamp = await this.loadStamp();
    return { live: stamp.status === "ACTIVE" && this.sessions.isLive(sessionId, now), stamp };
  }

  /** Ends one session (sign-out); the session a refresh token (current or rotated out) belongs to. */
  async endSession(sessionId: string): Promise<void> {
    this.sessions.end(sessionId);
  }

  async endSessionOfRefresh(tokenHash: string): Promise<void> {
    const state = this.sessions.findRefresh(tokenHash);
    if (state) this.sessions.end(state.sessionId);
  }

  /** Ends every session, or every one but `keep` (sign out everywhere). */
  async endSessions(keep?: string): Promise<void> {
    this.sessions.endAll(keep);
  }

  async sessionCount(): Promise<number> {
    return this.sessions.count();
  }

  // ---- clean-up --------------------------------------------------------------------------------

  /**
   * Makes sure the alarm fires by `at` (when something just stored expires). Cheap on the hot path:
   * only the alarm handler sweeps and works out the next moment.
   */
  private async sweepBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Arms the alarm for the earliest moment anything stored expires. */
  private async scheduleSweep(now = Date.now()): Promise<void> {
    const at = await this.nextExpiry(now);
    if (at !== undefined) await this.ctx.storage.setAlarm(Math.max(at, now + 1));
  }

  private async nextExpiry(now: number): Promise<number | undefined> {
    const times: number[] = [];
    const stamp = await this.loadStamp();
    if (stamp.deletedAt !== undefined) times.push(stamp.deletedAt + DELETED_STAMP_RETENTION_MS);
    const lockoutUntil = await this.ctx.storage.get<number>(LOCKOUT_UNTIL);
    if (lockoutUntil !== undefined) times.push(lockoutUntil);
    const sessions = this.sessions.sweep(now, this.refreshGraceMs);
    if (sessions !== undefined) times.push(sessions);
    return times.length ? Math.min(...times) : undefined;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const stamp = await this.loadStamp();
    if (stamp.deletedAt !== undefined && stamp.deletedAt + DELETED_STAMP_RETENTION_MS <= now) {
      this.stamp = undefined;
      this.lockout = undefined;
      await this.ctx.storage.deleteAll();
      return;
    }
    const lockoutUntil = await this.ctx.storage.get<number>(LOCKOUT_UNTIL);
    if (lockoutUntil !== undefined && lockoutUntil <= now) {
      this.lockout = EMPTY_STATE;
      await this.ctx.storage.delete([LOCKOUT, LOCKOUT_UNTIL]);
    }
    await this.scheduleSweep(now);
  }
}
