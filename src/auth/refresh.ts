// The refresh-token grant (contract §5): rotation with a reuse grace window and reuse detection.
import { randomToken } from "../crypto/random";
import type { Services } from "../services";
import { signAccessToken } from "../tokens/access-token";
import { decideRefresh, type RefreshTokenState } from "./refresh-policy";
import { hashRefreshToken, type TokenResponse } from "./session-issuer";
import { openSuccessor, sealSuccessor } from "./successor-seal";

/** What our refresh tokens look like (base64url of 32 random bytes), with room to grow. */
export const REFRESH_TOKEN_FORMAT = /^[A-Za-z0-9_-]{32,128}$/;

export type RefreshOutcome =
  | { kind: "refreshed"; tokens: TokenResponse }
  /** Unknown, expired, revoked, or its user is blocked or gone. */
  | { kind: "invalid_grant" }
  /** A rotated-out token came back after the grace window; the session has been revoked. */
  | { kind: "reuse_detected"; sessionId: string; userId: string };

async function tokenResponse(services: Services, state: RefreshTokenState, refreshToken: string): Promise<TokenResponse> {
  const { config } = services;
  const accessToken = await signAccessToken(await services.keyRing(), {
    issuer: config.issuer,
    audience: config.audience,
    subject: state.userId,
    sessionId: state.sessionId, // unchanged across refreshes
    ttlSeconds: config.accessTokenTtlSeconds,
    nowSeconds: Math.floor(services.now() / 1000),
  });
  return {
    token_type: "Bearer",
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_in: config.accessTokenTtlSeconds,
    sub: state.userId,
  };
}

/** Tries to rotate; undefined when another request rotated the token first. */
async function rotate(services: Services, token: string, tokenHash: string, state: RefreshTokenState, now: number) {
  const successor = randomToken(32);
  const [successorHash, successorCiphertext] = await Promise.all([
    hashRefreshToken(successor),
    sealSuccessor(token, tokenHash, successor),
  ]);
  const won = await services.sessions.rotate({
    tokenHash,
    successorHash,
    successorCiphertext,
    // A refresh token never outlives its session.
    successorExpiresAt: Math.min(now + services.config.refreshTokenTtlSeconds * 1000, state.sessionExpiresAt),
    now,
  });
  return won ? successor : undefined;
}

export async function refreshSession(services: Services, token: string): Promise<RefreshOutcome> {
  if (!REFRESH_TOKEN_FORMAT.test(token)) return { kind: "invalid_grant" };
  const grace = services.config.refreshReuseGraceSeconds;
  const tokenHash = await hashRefreshToken(token);
  let state = await services.sessions.findRefreshToken(tokenHash);
  if (!state) return { kind: "invalid_grant" };
  let now = services.now();
  let decision = decideRefresh(state, now, grace);

  if (decision.kind === "rotate") {
    const successor = await rotate(services, token, tokenHash, state, now);
    if (successor !== undefined) return { kind: "refreshed", tokens: await tokenResponse(services, state, successor) };
    // Lost the race to a concurrent refresh of the same token (or the session died meanwhile):
    // read again and judge the token as it is now, normally a replay of the winner's successor.
    state = await services.sessions.findRefreshToken(tokenHash);
    if (!state) return { kind: "invalid_grant" };
    now = services.now();
    decision = decideRefresh(state, now, grace);
  }

  switch (decision.kind) {
    case "replay_successor": {
      const successor = state.successorCiphertext && (await openSuccessor(token, tokenHash, state.successorCiphertext));
      if (!successor) return { kind: "invalid_grant" };
      return { kind: "refreshed", tokens: await tokenResponse(services, state, successor) };
    }
    case "reuse_detected":
      // Revoking the session kills every token of it, the newest included.
      await services.sessions.revokeSession(state.sessionId, now);
      return { kind: "reuse_detected", sessionId: state.sessionId, userId: state.userId };
    case "rotate": // only after a lost race that left the token unrotated: refuse rather than loop
    case "refuse":
      return { kind: "invalid_grant" };
  }
}
