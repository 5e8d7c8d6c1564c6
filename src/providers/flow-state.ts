// One provider sign-in flow as a pure state machine (kept by src/providers/flow-object.ts). Each
// step happens once: the provider's return is taken once, the one-time code is redeemed once, and
// the provider token is spent by one sign-in, bind or sign-up. Hashes only: the object never
// holds the code or the provider token themselves.

/** What the provider vouched for. `emailVerified` only when the provider asserted it. */
export interface ProviderIdentity {
  provider: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** An https URL (the avatar). Optional: flows started before it existed have none. */
  picture?: string | null;
}

/** What /provider/uri keeps for the callback (never sent to the browser). */
export interface FlowStart {
  provider: string;
  /** The client's `state`, returned to the app page unchanged. */
  clientState: string;
  /** The allow-listed app page the flow returns to. */
  appPage: string;
  codeVerifier: string;
  nonce: string;
}

export type FlowState =
  | ({ phase: "started"; expiresAt: number } & FlowStart)
  | { phase: "exchanging"; provider: string; appPage: string; expiresAt: number }
  | { phase: "code_issued"; provider: string; appPage: string; codeHash: string; identity: ProviderIdentity; expiresAt: number }
  | { phase: "token_issued"; tokenHash: string; identity: ProviderIdentity; expiresAt: number }
  | { phase: "used"; expiresAt: number };

/** The provider came back: the start, once, and only before the flow expires. */
export function takeStart(state: FlowState | undefined, now: number): { state?: FlowState; start?: FlowStart } {
  if (state?.phase !== "started" || now >= state.expiresAt) return {};
  const { phase: _phase, expiresAt, ...start } = state;
  return { state: { phase: "exchanging", provider: start.provider, appPage: start.appPage, expiresAt }, start };
}

export function issueCode(state: FlowState | undefined, identity: ProviderIdentity, codeHash: string, expiresAt: number): FlowState | undefined {
  if (state?.phase !== "exchanging") return undefined;
  return { phase: "code_issued", provider: state.provider, appPage: state.appPage, codeHash, identity, expiresAt };
}

export interface Redemption {
  codeHash: string;
  provider: string;
  appPage: string;
  tokenHash: string;
  tokenExpiresAt: number;
}

/**
 * Redeems the one-time code for a provider token. A right code presented for another provider or
 * app page ends the flow (someone is replaying it elsewhere); a wrong code changes nothing.
 */
export function redeemCode(state: FlowState | undefined, redemption: Redemption, now: number): { state?: FlowState; identity?: ProviderIdentity } {
  if (state?.phase !== "code_issued" || now >= state.expiresAt || state.codeHash !== redemption.codeHash) return {};
  if (state.provider !== redemption.provider || state.appPage !== redemption.appPage) {
    return { state: { phase: "used", expiresAt: state.expiresAt } };
  }
  return {
    state: { phase: "token_issued", tokenHash: redemption.tokenHash, identity: state.identity, expiresAt: redemption.tokenExpiresAt },
    identity: state.identity,
  };
}

/** The identity behind a live provider token (not spent, not expired). */
export function peekToken(state: FlowState | undefined, tokenHash: string, now: number): ProviderIdentity | undefined {
  if (state?.phase !== "token_issued" || now >= state.expiresAt || state.tokenHash !== tokenHash) return undefined;
  return state.identity;
}

/** Spends the provider token: true once. */
export function spendToken(state: FlowState | undefined, tokenHash: string, now: number): FlowState | undefined {
  if (!peekToken(state, tokenHash, now)) return undefined;
  return { phase: "used", expiresAt: state!.expiresAt };
}
