import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS } from "../../src/auth/verification-limits";
import {
  checkSend,
  claimToken,
  fromStored,
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
const POLICY = { sendsPerDay: 20, wrongCodesPerHour: 10 };

const send = (id: string, code = "c"): NewSend => ({
  contact,
  idHash: hash(id),
  codeHash: hash(code),
  usage: "SIGN_IN",
  expiresAt: NOW + 600_000,
  captcha: false,
});

function sent(...ids: string[]): ContactState {
  let state = EMPTY_STATE;
  ids.forEach((id, i) => {
    state = recordSend(state, send(id), POLICY, NOW - (ids.length - i) * 61_000).state;
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
  const state = recordSend(EMPTY_STATE, { ...send("a"), usage }, POLICY, NOW).state;
  return spendGuess(state, guess("a", "c", token), POLICY, NOW).state;
}

describe("sends", () => {
  it("records an allowed send with its code; within the cooldown asks for a captcha without recording", () => {
    const first = recordSend(EMPTY_STATE, send("a"), POLICY, NOW);
    expect(first.verdict).toEqual({ kind: "allowed" });
    expect(first.state.sends).toEqual([{ idHash: hash("a"), at: NOW }]);
    expect(first.state.codes).toMatchObject([{ idHash: hash("a"), attempts: 0, sentAt: NOW, captcha: false }]);
    const second = recordSend(first.state, send("b"), POLICY, NOW + 1000);
    expect(second.verdict).toEqual({ kind: "captcha_required", reason: "cooldown", retryAfterSeconds: 59 });
    expect(second.state).toBe(first.state);
  });

  it("a send with a captcha passes the gates and spares the code sent less than a minute before", () => {
    const first = recordSend(EMPTY_STATE, send("a"), POLICY, NOW).state;
    const second = recordSend(first, { ...send("b"), captcha: true }, POLICY, NOW + 1000);
    expect(second.verdict).toEqual({ kind: "allowed" });
    expect(second.state.codes.map((code) => [code.idHash, code.captcha])).toEqual([[hash("a"), false], [hash("b"), true]]);
    expect(spendGuess(second.state, guess("a", "c"), POLICY, NOW + 2000).outcome).toBe("verified");
  });

  it("a new send supersedes the codes sent a minute or more before", () => {
    const state = sent("a", "b");
    expect(state.codes.map((code) => code.idHash)).toEqual([hash("b")]);
    expect(spendGuess(state, guess("a", "c"), POLICY, NOW).outcome).toBe("refused");
    expect(spendGuess(state, guess("b", "c"), POLICY, NOW).outcome).toBe("verified");
  });

  it("applies the daily budget to the sends recorded", () => {
    expect(checkSend(sent("a", "b"), { ...POLICY, sendsPerDay: 2 }, NOW)).toMatchObject({ kind: "captcha_required", reason: "daily_budget" });
    expect(checkSend(sent("a", "b"), { ...POLICY, sendsPerDay: 3 }, NOW)).toEqual({ kind: "allowed" });
  });

  it("a discarded send counts for nothing and leaves no code, not even the one it superseded", () => {
    const state = discardSend(sent("a", "b"), hash("b"));
    expect(state.sends.map((item) => item.idHash)).toEqual([hash("a")]);
    expect(state.codes).toEqual([]);
  });

  it("reads a state stored with a single code as one live code", () => {
    const stored = { contact, sends: [], code: { idHash: hash("a"), codeHash: hash("c"), usage: "SIGN_IN" as const, attempts: 1, expiresAt: NOW }, tokens: [] };
    expect(fromStored(stored as never)).toEqual({
      contact,
      sends: [],
      codes: [{ ...stored.code, sentAt: 0, captcha: false }],
      wrong: [],
      tokens: [],
      proofs: [],
    });
  });
});

describe("guesses", () => {
  it(`counts every evaluated guess and evaluates no more than ${MAX_ATTEMPTS}`, () => {
    let state = sent("a");
    for (let i = 0; i < MAX_ATTEMPTS; i++) state = spendGuess(state, guess("a", "x"), POLICY, NOW).state;
    expect(state.codes[0]?.attempts).toBe(MAX_ATTEMPTS);
    expect(state.wrong).toEqual(Array(MAX_ATTEMPTS).fill(NOW));
    const right = spendGuess(state, guess("a", "c"), POLICY, NOW);
    expect(right).toEqual({ state, outcome: "refused" });
  });

  it("the right code is used up and a token of its usage takes its place", () => {
    const { state, outcome } = spendGuess(sent("a"), guess("a", "c"), POLICY, NOW);
    expect(outcome).toBe("verified");
    expect(state.codes).toEqual([]);
    expect(state.tokens).toEqual([{ tokenHash: hash("t"), usage: "SIGN_IN", expiresAt: NOW + 600_000, claim: null }]);
    expect(spendGuess(state, guess("a", "c", "u"), POLICY, NOW).outcome).toBe("refused");
  });

  it("refuses an expired code and an unknown id without counting", () => {
    const state = sent("a");
    expect(spendGuess(state, guess("a", "c"), POLICY, NOW + 600_000)).toEqual({ state, outcome: "refused" });
    expect(spendGuess(state, guess("z", "c"), POLICY, NOW)).toEqual({ state, outcome: "refused" });
  });

  it("once the contact's wrong codes reach the budget, a code sent without a captcha is not evaluated", () => {
    const tight = { ...POLICY, wrongCodesPerHour: 2 };
    let state = sent("a");
    for (let i = 0; i < 2; i++) state = spendGuess(state, guess("a", "x"), tight, NOW).state;
    expect(spendGuess(state, guess("a", "c"), tight, NOW)).toEqual({ state, outcome: "new_code_needed" });
    const captchaed = recordSend(state, { ...send("b"), captcha: true }, tight, NOW + 61_000).state;
    expect(spendGuess(captchaed, guess("b", "c"), tight, NOW + 62_000).outcome).toBe("verified");
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

  it("keeps a dead code (out of guesses) until it expires, and wrong codes for an hour", () => {
    let state = sent("a");
    for (let i = 0; i < MAX_ATTEMPTS; i++) state = spendGuess(state, guess("a", "x"), POLICY, NOW).state;
    expect(prune(state, NOW).codes[0]?.attempts).toBe(MAX_ATTEMPTS);
    expect(prune(state, NOW + 3_600_000 - 1).wrong).toHaveLength(MAX_ATTEMPTS);
    expect(prune(state, NOW + 3_600_000).wrong).toEqual([]);
  });
});

describe("proofs for a signed-in user", () => {
  const requested = (userId?: string) =>
    spendGuess(recordSend(EMPTY_STATE, { ...send("a"), ...(userId ? { requestedBy: userId } : {}) }, POLICY, NOW).state, guess("a", "c"), POLICY, NOW).state;

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
