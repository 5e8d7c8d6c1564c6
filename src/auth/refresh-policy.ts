// What presenting a refresh token means (contract §5), as a pure function of the token's stored
// state, the time and the grace window: rotate it, replay its successor, or refuse it.

/** What storage knows about a presented refresh token and its session. Times in epoch ms. */
export interface RefreshTokenState {
  sessionId: string;
  userId: string;
  expiresAt: number;
  rotatedAt: number | null;
  successorCiphertext: string | null;
  sessionExpiresAt: number;
  sessionRevokedAt: number | null;
  userActive: boolean;
}

export type RefreshDecision =
  | { kind: "rotate" }
  /** Rotated moments ago (another tab, a retried request): hand out the same successor. */
  | { kind: "replay_successor" }
  /** A rotated-out token after the grace window: someone holds a copy; the session must die. */
  | { kind: "reuse_detected" }
  | { kind: "refuse"; reason: "session_revoked" | "session_expired" | "user_blocked" | "token_expired" };

export function decideRefresh(state: RefreshTokenState, now: number, graceSeconds: number): RefreshDecision {
  if (state.sessionRevokedAt !== null) return { kind: "refuse", reason: "session_revoked" };
  if (state.sessionExpiresAt <= now) return { kind: "refuse", reason: "session_expired" };
  if (!state.userActive) return { kind: "refuse", reason: "user_blocked" };
  if (state.rotatedAt !== null) {
    // The replay is judged by the time since rotation, not by the old token's own expiry: the
    // successor it leads to is fresh. After the window any presentation is treated as theft,
    // whatever the old token's expiry, because the legitimate client only keeps the newest token.
    return now - state.rotatedAt <= graceSeconds * 1000 ? { kind: "replay_successor" } : { kind: "reuse_detected" };
  }
  if (state.expiresAt <= now) return { kind: "refuse", reason: "token_expired" };
  return { kind: "rotate" };
}
