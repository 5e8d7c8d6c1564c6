// What presenting a refresh token means (docs/sessions.md), as a pure function of the token's
// stored state, the time and the grace window: rotate it, replay its successor, or refuse it.
// Ended sessions (signed out, revoked, reuse detected, password changed, user blocked or deleted)
// are gone from storage with all their tokens: what is looked at here is a live session's token.

/** What storage knows about a presented refresh token and its session. Times in epoch ms. */
export interface RefreshTokenState {
  sessionId: string;
  expiresAt: number;
  rotatedAt: number | null;
  successorCiphertext: string | null;
  sessionExpiresAt: number;
}

export type RefreshDecision =
  | { kind: "rotate" }
  /** Rotated moments ago (another tab, a retried request): hand out the same successor. */
  | { kind: "replay_successor" }
  /** A rotated-out token after the grace window: someone holds a copy; the session must die. */
  | { kind: "reuse_detected" }
  | { kind: "refuse"; reason: "session_expired" | "token_expired" };

export function decideRefresh(state: RefreshTokenState, now: number, graceSeconds: number): RefreshDecision {
  if (state.sessionExpiresAt <= now) return { kind: "refuse", reason: "session_expired" };
  if (state.rotatedAt !== null) {
    // The replay is judged by the time since rotation, not by the old token's own expiry: the
    // successor it leads to is fresh. After the window any presentation is treated as theft,
    // whatever the old token's expiry, because the legitimate client only keeps the newest token.
    return now - state.rotatedAt <= graceSeconds * 1000 ? { kind: "replay_successor" } : { kind: "reuse_detected" };
  }
  if (state.expiresAt <= now) return { kind: "refuse", reason: "token_expired" };
  return { kind: "rotate" };
}
