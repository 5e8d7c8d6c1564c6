import { describe, expect, it } from "vitest";
import { CHALLENGE_TRIES, FRESH_CHALLENGE, redeem, spendTry, type ChallengeState } from "../../src/captcha/challenge-state";

/** Applies answers in order; returns which tries solved the challenge and the final state. */
function tries(answers: boolean[], state: ChallengeState = FRESH_CHALLENGE) {
  const solved: boolean[] = [];
  for (const right of answers) {
    const result = spendTry(state, right);
    solved.push(result.solved);
    state = result.state;
  }
  return { solved, state };
}

describe("challenge state", () => {
  it("allows three tries, and the first right one solves it", () => {
    expect(CHALLENGE_TRIES).toBe(3);
    expect(tries([true]).solved).toEqual([true]);
    expect(tries([false, false, true]).solved).toEqual([false, false, true]);
  });

  it("refuses even the right answer once the tries are spent", () => {
    expect(tries([false, false, false, true]).solved).toEqual([false, false, false, false]);
  });

  it("is solved once: the right answer again yields nothing", () => {
    expect(tries([true, true, true]).solved).toEqual([true, false, false]);
  });

  it("redeems the token of a solved challenge exactly once, and none of an unsolved one", () => {
    const solved = tries([true]).state;
    const first = redeem(solved);
    expect(first.redeemed).toBe(true);
    expect(redeem(first.state).redeemed).toBe(false);
    expect(redeem(FRESH_CHALLENGE).redeemed).toBe(false);
    expect(redeem(tries([false, false, false]).state).redeemed).toBe(false);
  });
});
