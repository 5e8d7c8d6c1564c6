// The account Durable Objects (src/accounts/account-object.ts) behind calls named for what they
// do. An unreachable object fails closed (503): nobody is signed in, refreshed or let through
// without it.
import type { LockoutPolicy } from "../config";
import type { Env } from "../env";
import { failClosed } from "./fail-closed";
import type { CaptchaProof, Settlement } from "../lockout/policy";
import type { AdmissionAnswer, CredentialChange, OpenAnswer, RotateAnswer, SessionCheck } from "../accounts/account-object";
import type { RowCredentials } from "../accounts/credentials";
import type { User } from "./users";
import type { NewSession, Successor } from "../accounts/session-table";

export type { NewSession, Successor };

const rowCredentials = (user: User): RowCredentials => ({ version: user.credentialVersion, status: user.status });

/** The account key of a user; a sign-in name that matches no user is its own key (normalised). */
export const userKey = (userId: string) => `user:${userId}`;

export class AccountStore {
  constructor(private readonly env: Env) {}

  private account(key: string) {
    return this.env.ACCOUNT_GUARD.get(this.env.ACCOUNT_GUARD.idFromName(key));
  }

  private user(userId: string) {
    return this.account(userKey(userId));
  }

  // ---- password lockout -------------------------------------------------------------------------

  admitPasswordAttempt(key: string, policy: LockoutPolicy, captcha: CaptchaProof) {
    return failClosed<AdmissionAnswer>(() => this.account(key).admit(policy, captcha));
  }

  recordPasswordOutcome(key: string, policy: LockoutPolicy, reservationId: string, outcome: Settlement) {
    return failClosed<number | null>(() => this.account(key).settle(policy, reservationId, outcome));
  }

  completePasswordSignin(user: User, policy: LockoutPolicy, reservationId: string, session: NewSession) {
    return failClosed<OpenAnswer>(() => this.user(user.id).completeSignin(policy, reservationId, session, rowCredentials(user)));
  }

  clearLockout(userId: string) {
    return failClosed(() => this.user(userId).clear());
  }

  // ---- credentials ----------------------------------------------------------------------------

  /** Raises the credential stamp and ends sessions; returns the version D1 must be written with. */
  beginCredentialChange(userId: string, change: CredentialChange = {}) {
    return failClosed<number>(() => this.user(userId).changeCredentials(change));
  }

  /** Raises the credential version without ending sessions (a contact changes); D1 is written with it. */
  raiseCredentialVersion(userId: string) {
    return failClosed<number>(() => this.user(userId).raiseVersion());
  }

  markDeleted(userId: string) {
    return failClosed(() => this.user(userId).markDeleted());
  }

  // ---- sessions -------------------------------------------------------------------------------

  /** Opens a session for `user` as read; refused when that row is behind the account's stamp. */
  openSession(user: User, session: NewSession) {
    return failClosed<OpenAnswer>(() => this.user(user.id).openSession(session, rowCredentials(user)));
  }

  rotateRefresh(userId: string, tokenHash: string, successor: Successor, graceSeconds: number) {
    return failClosed<RotateAnswer>(() => this.user(userId).rotateRefresh(tokenHash, successor, graceSeconds));
  }

  checkSession(userId: string, sessionId: string) {
    return failClosed<SessionCheck>(() => this.user(userId).checkSession(sessionId));
  }

  endSession(userId: string, sessionId: string) {
    return failClosed(() => this.user(userId).endSession(sessionId));
  }

  endSessionOfRefresh(userId: string, tokenHash: string) {
    return failClosed(() => this.user(userId).endSessionOfRefresh(tokenHash));
  }

  endSessions(userId: string, keep?: string) {
    return failClosed(() => this.user(userId).endSessions(keep));
  }
}
