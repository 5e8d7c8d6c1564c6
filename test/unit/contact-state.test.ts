import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS } from "../../src/auth/verification-limits";
import {
  checkSend,
  claimToken,
  discardSend,
  EMPTY_STATE,
  keepUntil,
  prune,
  recordSend,
  releaseToken,
  spendGuess,
  takeProof,
  type ContactState,
  type NewSend,
} from "../../src/contacts/contact-state";

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;
const contact = { kind: "phone", value: "+86 13800138000" } as const;
// Hashes are base64url strings of equal length, as the store gives them.
const hash = (char: string) => char.repeat(43);

const send = (id: string, code = "c"): NewSend => ({
  contact,
  idHash: hash(id),
  codeHash: hash(code),
  usage: "SIGN_IN",
  expiresAt: NOW + 600_000,
});

function sent(...ids: string[]): ContactState {
  let state = EMPTY_STATE;
  ids.forEach((id, i) => {
    state = recordSend(state, send(id), 20, NOW - (ids.length - i) * 61_000).state;
  });
  return state;
}

const guess = (id: string, code: string, token = "t") => ({
  idHash: hash(id),
  codeHash: hash(code),
  tokenHash: hash(token),
  tokenExpiresAt: NOW + 600_000,
});

function verified(token = "t", usage: NewSend["usage"] = "SIGN_IN"): ContactState {
  const state = recordSend(EMPTY_STATE, { ...send("a"), usage }, 20, NOW).state;
  return spendGuess(state, guess("a", "c", token), NOW).state;
}

describe("sends", () => {
  it("records an allowed send with its code, and refuses one within the cooldown without recording it", () => {
    const first = recordSend(EMPTY_STATE, send("a"), 20, NOW);
    expect(first.verdict).toEqual({ kind: "allowed" });
    expect(first.state.sends).toEqual([{ idHash: hash("a"), at: NOW }]);
    expect(first.state.code).toMatchObject({ idHash: hash("a"), attempts: 0 });
    const second = recordSend(first.state, send("b"), 20, NOW + 1000);
    expect(second.verdict).toEqual({ kind: "rate_limited", retryAfterSeconds: 59 });
    expect(second.state).toBe(first.state);
  });

  it("a new send supersedes the live code", () => {
    const state = sent("a", "b");
    expect(state.code?.idHash).toBe(hash("b"));
    expect(spendGuess(state, guess("a", "c"), NOW).verified).toBe(false);
    expect(spendGuess(state, guess("b", "c"), NOW).verified).toBe(true);
  });

  it("applies the daily count to the sends recorded", () => {
    expect(checkSend(sent("a", "b"), 2, NOW)).toMatchObject({ kind: "rate_limited" });
    expect(checkSend(sent("a", "b"), 3, NOW)).toEqual({ kind: "allowed" });
  });

  it("a discarded send counts for nothing and leaves no code, not even the one it superseded", () => {
    const state = discardSend(sent("a", "b"), hash("b"));
    expect(state.sends.map((item) => item.idHash)).toEqual([hash("a")]);
    expect(state.code).toBeNull();
  });
});

describe("guesses", () => {
  it(`counts every evaluated guess and evaluates no more than ${MAX_ATTEMPTS}`, () => {
    let state = sent("a");
    for (let i = 0; i < MAX_ATTEMPTS; i++) state = spendGuess(state, guess("a", "x"), NOW).state;
    expect(state.code?.attempts).toBe(MAX_ATTEMPTS);
    const right = spendGuess(state, guess("a", "c"), NOW);
    expect(right).toEqual({ state, verified: false });
  });

  it("the right code is used up and a token of its usage takes its place", () => {
    const { state, verified } = spendGuess(sent("a"), guess("a", "c"), NOW);
    expect(verified).toBe(true);
    expect(state.code).toBeNull();
    expect(state.tokens).toEqual([{ tokenHash: hash("t"), usage: "SIGN_IN", expiresAt: NOW + 600_000, claim: null }]);
    expect(spendGuess(state, guess("a", "c", "u"), NOW).verified).toBe(false);
  });

  it("refuses an expired code and an unknown id without counting", () => {
    const state = sent("a");
    expect(spendGuess(state, guess("a", "c"), NOW + 600_000)).toEqual({ state, verified: false });
    expect(spendGuess(state, guess("z", "c"), NOW)).toEqual({ state, verified: false });
  });
});

describe("tokens", () => {
  it("a token is claimed once; the holder can give it back, and then it can be claimed again", () => {
    const state = verified();
    const first = claimToken(state, hash("t"), ["SIGN_IN", "REGISTER"], "claim-1", NOW);
    expect(first.claimed).toEqual({ contact, usage: "SIGN_IN" });
    expect(claimToken(first.state, hash("t"), ["SIGN_IN"], "claim-2", NOW).claimed).toBeUndefined();
    const released = releaseToken(first.state, hash("t"), "claim-1");
    expect(claimToken(released, hash("t"), ["SIGN_IN"], "claim-3", NOW).claimed).toEqual({ contact, usage: "SIGN_IN" });
  });

  it("only the claim that holds a token can give it back", () => {
    const claimed = claimToken(verified(), hash("t"), ["SIGN_IN"], "claim-1", NOW).state;
    const late = releaseToken(claimed, hash("t"), "claim-0");
    expect(claimToken(late, hash("t"), ["SIGN_IN"], "claim-2", NOW).claimed).toBeUndefined();
  });

  it("refuses a token of another usage, an expired one and an unknown one, leaving them as they were", () => {
    const reset = verified("t", "PASSWORD_RESET");
    expect(claimToken(reset, hash("t"), ["SIGN_IN", "REGISTER"], "c", NOW)).toEqual({ state: reset });
    const state = verified();
    expect(claimToken(state, hash("t"), ["SIGN_IN"], "c", NOW + 600_000)).toEqual({ state });
    expect(claimToken(state, hash("u"), ["SIGN_IN"], "c", NOW)).toEqual({ state });
  });
});

describe("clean-up", () => {
  it("keeps each thing while it matters and nothing after", () => {
    const state = verified();
    expect(keepUntil(state)).toBe(NOW + DAY);
    expect(prune(state, NOW + 600_000)).toEqual({ ...state, tokens: [] });
    expect(prune(state, NOW + DAY)).toEqual(EMPTY_STATE);
    expect(keepUntil(EMPTY_STATE)).toBeUndefined();
  });

  it("keeps a dead code (out of guesses) until it expires, so its count stays visible", () => {
    let state = sent("a");
    for (let i = 0; i < MAX_ATTEMPTS; i++) state = spendGuess(state, guess("a", "x"), NOW).state;
    expect(prune(state, NOW).code?.attempts).toBe(MAX_ATTEMPTS);
  });
});

describe("proofs for a signed-in user", () => {
  const requested = (userId?: string) =>
    spendGuess(recordSend(EMPTY_STATE, { ...send("a"), ...(userId ? { requestedBy: userId } : {}) }, 20, NOW).state, guess("a", "c"), NOW).state;

  it("a right code asked for by a signed-in user leaves that user one proof, until the token's expiry", () => {
    const state = requested("u1");
    expect(takeProof(state, "u2", NOW).taken).toBe(false);
    const taken = takeProof(state, "u1", NOW);
    expect(taken.taken).toBe(true);
    expect(takeProof(taken.state, "u1", NOW).taken).toBe(false);
    expect(takeProof(state, "u1", NOW + 600_000).taken).toBe(false);
    expect(keepUntil({ ...state, sends: [], tokens: [] })).toBe(NOW + 600_000);
  });

  it("a code asked for without a bearer leaves none", () => {
    expect(takeProof(requested(), "u1", NOW).taken).toBe(false);
  });
});
