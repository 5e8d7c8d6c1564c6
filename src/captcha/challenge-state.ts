// What one image-captcha challenge allows, as plain functions of its state: CHALLENGE_TRIES
// tries, the first right answer solves it, and the one captcha token a solve yields is redeemed
// once. The CaptchaChallenge Durable Object applies these, one call at a time.

export const CHALLENGE_TRIES = 3;

export interface ChallengeState {
  triesLeft: number;
  solved: boolean;
  redeemed: boolean;
}

export const FRESH_CHALLENGE: ChallengeState = { triesLeft: CHALLENGE_TRIES, solved: false, redeemed: false };

/**
 * Spends one try. `solved` is true only for the try that solves the challenge: once solved, even
 * the right answer again yields nothing, so a challenge issues at most one captcha token.
 */
export function spendTry(state: ChallengeState, rightAnswer: boolean): { state: ChallengeState; solved: boolean } {
  if (state.solved || state.triesLeft <= 0) return { state, solved: false };
  return { state: { ...state, triesLeft: state.triesLeft - 1, solved: rightAnswer }, solved: rightAnswer };
}

/** Spends the captcha token of a solved challenge; `redeemed` is true exactly once. */
export function redeem(state: ChallengeState): { state: ChallengeState; redeemed: boolean } {
  if (!state.solved || state.redeemed) return { state, redeemed: false };
  return { state: { ...state, redeemed: true }, redeemed: true };
}
