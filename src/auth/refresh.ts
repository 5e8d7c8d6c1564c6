// The refresh-token grant (docs/sessions.md): rotation with a reuse grace window and reuse
// detection, decided in one call to the account object the token names.
import type { Services } from "../services";
import { hashRefreshToken, newRefreshToken, refreshTokenAccount, scopeOf, tokenResponse, type TokenResponse } from "./session-issuer";
import { openSuccessor, sealSuccessor } from "./successor-seal";

export type RefreshOutcome =
  | { kind: "refreshed"; tokens: TokenResponse }
  /** Unknown, expired, of an ended session, or its user is blocked or gone. */
  | { kind: "invalid_grant" }
  /** A rotated-out token came back after the grace window; the session has been ended. */
  | { kind: "reuse_detected"; sessionId: string; userId: string };

export async function refreshSession(services: Services, token: string): Promise<RefreshOutcome> {
  const userId = refreshTokenAccount(token);
  if (userId === undefined) return { kind: "invalid_grant" };
  // The successor is made before the call, so that the object decides and stores in one step; it
  // is sealed for the holder of the presented token, for a replay within the grace window.
  const successor = newRefreshToken(userId);
  const tokenHash = await hashRefreshToken(token);
  // The answer's `scope` (a guest's client signs in anonymously again when its refresh fails) comes
  // from the user's row, read from a replica beside the rotation: it adds no wait. A replica that
  // has not seen the user yet, or an upgrade yet, gives the row it has; `scope` decides nothing, so
  // a failed read leaves it out rather than failing a rotation that has happened.
  const user = services.users.findById(userId).catch(() => null);
  const [successorHash, ciphertext] = await Promise.all([hashRefreshToken(successor), sealSuccessor(token, tokenHash, successor)]);
  const answer = await services.accounts.rotateRefresh(
    userId,
    tokenHash,
    { hash: successorHash, ciphertext, ttlMs: services.config.refreshTokenTtlSeconds * 1000 },
    services.config.refreshReuseGraceSeconds,
  );
  const scope = async () => {
    const row = await user;
    return row === null ? undefined : row ? scopeOf(row) : "user";
  };
  switch (answer.kind) {
    case "rotated":
      return { kind: "refreshed", tokens: await tokenResponse(services, userId, answer.sessionId, successor, await scope()) };
    case "replay": {
      // Another request rotated this token moments ago: hand out the same successor.
      const earlier = answer.successorCiphertext && (await openSuccessor(token, tokenHash, answer.successorCiphertext));
      if (!earlier) return { kind: "invalid_grant" };
      return { kind: "refreshed", tokens: await tokenResponse(services, userId, answer.sessionId, earlier, await scope()) };
    }
    case "reuse_detected":
      return { kind: "reuse_detected", sessionId: answer.sessionId, userId };
    case "invalid":
      return { kind: "invalid_grant" };
  }
}
