// What one contact's Durable Object holds (its recent sends, its live codes, its recent wrong
// codes, its verification tokens, its proofs for signed-in users) and every change to it, as pure functions of (state, event,
// now). The object applies them one request at a time, which is what makes each of them atomic.
import type { Contact, Usage } from "../auth/verification-contact";
import {
  CONTACT_WINDOW_MS,
  COOLDOWN_MS,
  decideContactSend,
  MAX_LIVE_CODES,
  mayGuess,
  WRONG_CODE_WINDOW_MS,
  type ContactPolicy,
  type ContactSendVerdict,
} from "../auth/verification-limits";
import { bytesEqual } from "../crypto/compare";
import { fromBase64Url } from "../crypto/encoding";

/** A send that went out; kept 24 h, as the per-contact counters. */
export interface SentCode {
  idHash: string;
  at: number;
}

/**
 * A code that may still verify: a new send supersedes it unless it was sent less than COOLDOWN_MS
 * before. Hashes only, never the code or id.
 */
export interface LiveCode {
  /** SHA-256 of the verification id. */
  idHash: string;
  /** HMAC-SHA256(key = verification id, code). */
  codeHash: string;
  usage: Usage;
  /** Evaluated guesses, right or wrong. */
  attempts: number;
  expiresAt: number;
  sentAt: number;
  /** Sent with a captcha: it may be verified even once the contact's wrong-code budget is spent. */
  captcha: boolean;
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
  codes: LiveCode[];
  /** When wrong codes were tried (any of the contact's codes), kept an hour: the wrong-code budget. */
  wrong: number[];
  tokens: TokenRecord[];
  proofs: ContactProof[];
}

export const EMPTY_STATE: ContactState = { contact: null, sends: [], codes: [], wrong: [], tokens: [], proofs: [] };

/** A stored state, also one written before several live codes, the wrong-code budget or proofs. */
export function fromStored(
  stored: Omit<ContactState, "codes" | "wrong" | "proofs"> & Partial<ContactState> & { code?: Omit<LiveCode, "sentAt" | "captcha"> | null },
): ContactState {
  const { code, ...rest } = stored;
  const codes = stored.codes ?? (code ? [{ ...code, sentAt: 0, captcha: false }] : []);
  return { ...rest, codes, wrong: stored.wrong ?? [], proofs: stored.proofs ?? [] };
}

export interface NewSend {
  contact: Contact;
  idHash: string;
  codeHash: string;
  usage: Usage;
  expiresAt: number;
  /** The request passed a captcha: the contact's captcha gates let it through. */
  captcha: boolean;
  requestedBy?: string;
}

export interface Guess {
  idHash: string;
  codeHash: string;
  /** The token the right code is exchanged for (made by the caller, stored as its hash). */
  tokenHash: string;
  tokenExpiresAt: number;
}

/** What a guess came to; `refused` for an unknown, superseded, expired or used-up code. */
export type GuessOutcome = "verified" | "wrong" | "refused" | "new_code_needed";

export interface Claimed {
  contact: Contact;
  usage: Usage;
}

/**
 * Drops what no longer matters at `now`: sends older than 24 h, expired codes, tokens and proofs,
 * wrong codes older than an hour.
 */
export function prune(state: ContactState, now: number): ContactState {
  const sends = state.sends.filter((send) => send.at > now - CONTACT_WINDOW_MS);
  const codes = state.codes.filter((code) => now < code.expiresAt);
  const wrong = state.wrong.filter((at) => at > now - WRONG_CODE_WINDOW_MS);
  const tokens = state.tokens.filter((token) => now < token.expiresAt);
  const proofs = state.proofs.filter((proof) => now < proof.expiresAt);
  const holds = sends.length > 0 || codes.length > 0 || tokens.length > 0 || proofs.length > 0;
  return { contact: holds ? state.contact : null, sends, codes, wrong, tokens, proofs };
}

/** When the last thing held stops mattering (the alarm's time); undefined when nothing is held. */
export function keepUntil(state: ContactState): number | undefined {
  const times = [
    ...state.sends.map((send) => send.at + CONTACT_WINDOW_MS),
    ...state.codes.map((code) => code.expiresAt),
    ...state.wrong.map((at) => at + WRONG_CODE_WINDOW_MS),
    ...state.tokens.map((token) => token.expiresAt),
    ...state.proofs.map((proof) => proof.expiresAt),
  ];
  return times.length > 0 ? Math.max(...times) : undefined;
}

export function checkSend(state: ContactState, policy: ContactPolicy, now: number): ContactSendVerdict {
  return decideContactSend(
    state.sends.map((send) => send.at),
    state.wrong,
    policy,
    now,
  );
}

/**
 * Records a send with its code if the contact's limits let it through (a captcha passes every
 * gate). The new code supersedes the earlier ones except those sent less than COOLDOWN_MS ago:
 * someone else's send cannot take away a code its owner is typing.
 */
export function recordSend(
  state: ContactState,
  send: NewSend,
  policy: ContactPolicy,
  now: number,
): { state: ContactState; verdict: ContactSendVerdict } {
  const verdict = checkSend(state, policy, now);
  if (verdict.kind !== "allowed" && !send.captcha) return { state, verdict };
  const { contact, idHash, codeHash, usage, expiresAt, captcha, requestedBy } = send;
  const spared = state.codes.filter((code) => now - code.sentAt < COOLDOWN_MS);
  const code: LiveCode = { idHash, codeHash, usage, attempts: 0, expiresAt, sentAt: now, captcha, ...(requestedBy ? { requestedBy } : {}) };
  return {
    state: {
      ...state,
      contact,
      sends: [...state.sends, { idHash, at: now }],
      codes: [...spared, code].slice(-MAX_LIVE_CODES),
    },
    verdict: { kind: "allowed" },
  };
}

/**
 * Forgets a send that did not go out: it counts against no limit and its code is gone. The codes
 * it superseded stay gone (they were never delivered again, and the user asked for a new one).
 */
export function discardSend(state: ContactState, idHash: string): ContactState {
  return {
    ...state,
    sends: state.sends.filter((send) => send.idHash !== idHash),
    codes: state.codes.filter((code) => code.idHash !== idHash),
  };
}

// Constant time, so the response timing does not tell how much of a guess's hash matched.
function hashesEqual(a: string, b: string): boolean {
  const [x, y] = [fromBase64Url(a), fromBase64Url(b)];
  return x !== undefined && y !== undefined && bytesEqual(x, y);
}

/**
 * One guess at the live code named by `idHash`. It is counted before it is compared, so no more
 * than MAX_ATTEMPTS are ever evaluated; a wrong one also counts against the contact's wrong-code
 * budget. The right code is used up and leaves a token in its place. A guess refused before
 * evaluation changes nothing.
 */
export function spendGuess(
  state: ContactState,
  guess: Guess,
  policy: ContactPolicy,
  now: number,
): { state: ContactState; outcome: GuessOutcome } {
  const code = state.codes.find((item) => item.idHash === guess.idHash);
  if (!code) return { state, outcome: "refused" };
  const verdict = mayGuess(code, state.wrong, policy, now);
  if (verdict !== "evaluate") return { state, outcome: verdict === "used_up" ? "refused" : "new_code_needed" };
  if (!hashesEqual(code.codeHash, guess.codeHash)) {
    const codes = state.codes.map((item) => (item === code ? { ...item, attempts: item.attempts + 1 } : item));
    return { state: { ...state, codes, wrong: [...state.wrong, now] }, outcome: "wrong" };
  }
  const token: TokenRecord = { tokenHash: guess.tokenHash, usage: code.usage, expiresAt: guess.tokenExpiresAt, claim: null };
  const codes = state.codes.filter((item) => item !== code);
  const proof = code.requestedBy ? [{ userId: code.requestedBy, expiresAt: guess.tokenExpiresAt }] : [];
  return { state: { ...state, codes, tokens: [...state.tokens, token], proofs: [...state.proofs, ...proof] }, outcome: "verified" };
}

/** Uses up a live proof that `userId` verified this contact; `taken` tells whether there was one. */
export function takeProof(state: ContactState, userId: string, now: number): { state: ContactState; taken: boolean } {
  const index = state.proofs.findIndex((proof) => proof.userId === userId && now < proof.expiresAt);
  if (index < 0) return { state, taken: false };
  return { state: { ...state, proofs: state.proofs.filter((_, i) => i !== index) }, taken: true };
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
