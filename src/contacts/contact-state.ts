// What one contact's Durable Object holds (its recent sends, its live code, its verification
// tokens) and every change to it, as pure functions of (state, event, now). The object applies
// them one request at a time, which is what makes each of them atomic.
import type { Contact, Usage } from "../auth/verification-contact";
import { CONTACT_WINDOW_MS, decideContactSend, mayGuess, type ContactSendVerdict } from "../auth/verification-limits";
import { bytesEqual } from "../crypto/compare";
import { fromBase64Url } from "../crypto/encoding";

/** A send that went out; kept 24 h, as the per-contact counters. */
export interface SentCode {
  idHash: string;
  at: number;
}

/** The one code that may still verify (a new send supersedes it). Hashes only, never the code or id. */
export interface LiveCode {
  /** SHA-256 of the verification id. */
  idHash: string;
  /** HMAC-SHA256(key = verification id, code). */
  codeHash: string;
  usage: Usage;
  /** Evaluated guesses, right or wrong. */
  attempts: number;
  expiresAt: number;
  /** The signed-in user who asked for it (a send with a bearer): verifying it leaves them a proof. */
  requestedBy?: string;
}

/**
 * "This user verified this contact moments ago": left by a right code that a signed-in user asked
 * for, so that a contact edit without proof in it (the js-sdk's updateUser({email}) then
 * /user/basic/edit) can be accepted for that user only. Single use.
 */
export interface ContactProof {
  userId: string;
  expiresAt: number;
}

export interface TokenRecord {
  /** SHA-256 of the verification token. */
  tokenHash: string;
  usage: Usage;
  expiresAt: number;
  /** The claim that holds it (a redemption in progress or done); null while it is unused. */
  claim: string | null;
}

export interface ContactState {
  contact: Contact | null;
  sends: SentCode[];
  code: LiveCode | null;
  tokens: TokenRecord[];
  /** Absent in states stored before proofs existed. */
  proofs?: ContactProof[];
}

export const EMPTY_STATE: ContactState = { contact: null, sends: [], code: null, tokens: [], proofs: [] };

export interface NewSend {
  contact: Contact;
  idHash: string;
  codeHash: string;
  usage: Usage;
  expiresAt: number;
  requestedBy?: string;
}

export interface Guess {
  idHash: string;
  codeHash: string;
  /** The token the right code is exchanged for (made by the caller, stored as its hash). */
  tokenHash: string;
  tokenExpiresAt: number;
}

export interface Claimed {
  contact: Contact;
  usage: Usage;
}

/** Drops what no longer matters at `now`: sends older than 24 h, an expired code, expired tokens. */
export function prune(state: ContactState, now: number): ContactState {
  const sends = state.sends.filter((send) => send.at > now - CONTACT_WINDOW_MS);
  const code = state.code && now < state.code.expiresAt ? state.code : null;
  const tokens = state.tokens.filter((token) => now < token.expiresAt);
  const proofs = (state.proofs ?? []).filter((proof) => now < proof.expiresAt);
  const contact = sends.length > 0 || code || tokens.length > 0 || proofs.length > 0 ? state.contact : null;
  return { contact, sends, code, tokens, proofs };
}

/** When the last thing held stops mattering (the alarm's time); undefined when nothing is held. */
export function keepUntil(state: ContactState): number | undefined {
  const times = [
    ...state.sends.map((send) => send.at + CONTACT_WINDOW_MS),
    ...(state.code ? [state.code.expiresAt] : []),
    ...state.tokens.map((token) => token.expiresAt),
    ...(state.proofs ?? []).map((proof) => proof.expiresAt),
  ];
  return times.length > 0 ? Math.max(...times) : undefined;
}

export function checkSend(state: ContactState, perContactPerDay: number, now: number): ContactSendVerdict {
  return decideContactSend(state.sends.map((send) => send.at), perContactPerDay, now);
}

/** Records a send with its code if the contact's limits allow it; the new code supersedes any earlier one. */
export function recordSend(
  state: ContactState,
  send: NewSend,
  perContactPerDay: number,
  now: number,
): { state: ContactState; verdict: ContactSendVerdict } {
  const verdict = checkSend(state, perContactPerDay, now);
  if (verdict.kind !== "allowed") return { state, verdict };
  const { contact, idHash, codeHash, usage, expiresAt, requestedBy } = send;
  return {
    state: {
      ...state,
      contact,
      sends: [...state.sends, { idHash, at: now }],
      code: { idHash, codeHash, usage, attempts: 0, expiresAt, ...(requestedBy ? { requestedBy } : {}) },
    },
    verdict,
  };
}

/**
 * Forgets a send that did not go out: it counts against no limit and its code is gone. The code
 * it superseded stays gone (it was never delivered again, and the user asked for a new one).
 */
export function discardSend(state: ContactState, idHash: string): ContactState {
  return {
    ...state,
    sends: state.sends.filter((send) => send.idHash !== idHash),
    code: state.code?.idHash === idHash ? null : state.code,
  };
}

// Constant time, so the response timing does not tell how much of a guess's hash matched.
function hashesEqual(a: string, b: string): boolean {
  const [x, y] = [fromBase64Url(a), fromBase64Url(b)];
  return x !== undefined && y !== undefined && bytesEqual(x, y);
}

/**
 * One guess at the live code named by `idHash`. It is counted before it is compared, so no more
 * than MAX_ATTEMPTS are ever evaluated; the right code is used up and leaves a token in its place.
 */
export function spendGuess(state: ContactState, guess: Guess, now: number): { state: ContactState; verified: boolean } {
  const { code } = state;
  if (!code || code.idHash !== guess.idHash || !mayGuess(code, now)) return { state, verified: false };
  if (!hashesEqual(code.codeHash, guess.codeHash)) {
    return { state: { ...state, code: { ...code, attempts: code.attempts + 1 } }, verified: false };
  }
  const token: TokenRecord = { tokenHash: guess.tokenHash, usage: code.usage, expiresAt: guess.tokenExpiresAt, claim: null };
  const proofs = state.proofs ?? [];
  const proof = code.requestedBy ? [{ userId: code.requestedBy, expiresAt: guess.tokenExpiresAt }] : [];
  return { state: { ...state, code: null, tokens: [...state.tokens, token], proofs: [...proofs, ...proof] }, verified: true };
}

/** Claims an unused, unexpired token of one of `usages` for the redemption named `claim`. */
export function claimToken(
  state: ContactState,
  tokenHash: string,
  usages: readonly Usage[],
  claim: string,
  now: number,
): { state: ContactState; claimed?: Claimed } {
  const token = state.tokens.find((item) => item.tokenHash === tokenHash);
  if (!token || token.claim !== null || now >= token.expiresAt || !usages.includes(token.usage) || !state.contact) {
    return { state };
  }
  const tokens = state.tokens.map((item) => (item === token ? { ...item, claim } : item));
  return { state: { ...state, tokens }, claimed: { contact: state.contact, usage: token.usage } };
}

/** Gives a token back to unused; only the claim that holds it can, so a late release frees no later claim. */
export function releaseToken(state: ContactState, tokenHash: string, claim: string): ContactState {
  const held = (item: TokenRecord) => item.tokenHash === tokenHash && item.claim === claim;
  return { ...state, tokens: state.tokens.map((item) => (held(item) ? { ...item, claim: null } : item)) };
}

/** Uses up a live proof that `userId` verified this contact; `taken` tells whether there was one. */
export function takeProof(state: ContactState, userId: string, now: number): { state: ContactState; taken: boolean } {
  const proofs = state.proofs ?? [];
  const index = proofs.findIndex((proof) => proof.userId === userId && now < proof.expiresAt);
  if (index < 0) return { state, taken: false };
  return { state: { ...state, proofs: proofs.filter((_, i) => i !== index) }, taken: true };
}
