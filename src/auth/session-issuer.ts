// Opens a session for a signed-in user and returns the token response (docs/sessions.md). The
// session and its first refresh token live in the user's account object, near the user.
import type { SessionScope, TokenResponse } from "../api/answers";
import { ApiError } from "../errors";
import { sha256Base64Url } from "../crypto/compare";
import { randomToken } from "../crypto/random";
import type { Services } from "../services";
import type { NewSession } from "../storage/accounts";
import type { User } from "../storage/users";
import { signAccessToken } from "../tokens/access-token";
import { freshUser } from "./fresh-user";

export type { SessionScope, TokenResponse };

export const scopeOf = (user: User): SessionScope => (user.anonymous ? "anonymous" : "user");

/** Refresh tokens are stored only as this hash. */
export const hashRefreshToken = sha256Base64Url;

/**
 * A refresh token names the account it belongs to, so a refresh goes straight to that account's
 * object: `<user id>.<32 random bytes, base64url>`.
 */
const REFRESH_TOKEN_FORMAT = /^([1-9][0-9]{18})\.([A-Za-z0-9_-]{43})$/;

export function newRefreshToken(userId: string): string {
  return `${userId}.${randomToken(32)}`;
}

/** The account a refresh token routes to; undefined for anything that is not one of ours. */
export function refreshTokenAccount(token: string): string | undefined {
  return REFRESH_TOKEN_FORMAT.exec(token)?.[1];
}

/** Signs the access token of a session (unchanged `sid` across refreshes). */
export async function tokenResponse(
  services: Services,
  userId: string,
  sessionId: string,
  refreshToken: string,
  scope?: SessionScope,
): Promise<TokenResponse> {
  const { config } = services;
  const accessToken = await signAccessToken(await services.keyRing(), {
    issuer: config.issuer,
    audience: config.audience,
    subject: userId,
    sessionId,
    ttlSeconds: config.accessTokenTtlSeconds,
    nowSeconds: Math.floor(services.now() / 1000),
  });
  return {
    token_type: "Bearer",
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_in: config.accessTokenTtlSeconds,
    sub: userId,
    ...(scope ? { scope } : {}),
  };
}

/**
 * A new session's stored part, and the tokens that go to the client once it is stored (signed
 * meanwhile: the signature runs while the account object stores the session).
 */
export async function prepareSession(
  services: Services,
  userId: string,
  scope: SessionScope = "user",
): Promise<{ session: NewSession; tokens: Promise<TokenResponse> }> {
  const { config } = services;
  const now = services.now();
  const sessionId = randomToken(16);
  const refreshToken = newRefreshToken(userId);
  const sessionExpiresAt = now + config.sessionMaxAgeSeconds * 1000;
  const tokens = tokenResponse(services, userId, sessionId, refreshToken, scope);
  tokens.catch(() => {}); // awaited by the caller once the session is stored; never left unhandled
  const session: NewSession = {
    sessionId,
    refreshTokenHash: await hashRefreshToken(refreshToken),
    now,
    sessionExpiresAt,
    refreshExpiresAt: Math.min(now + config.refreshTokenTtlSeconds * 1000, sessionExpiresAt),
  };
  return { session, tokens };
}

export const blockedError = () => new ApiError("invalid_status", { description: "This account is blocked" });

/**
 * Opens a session for `user` as read (from a replica or the primary). The account object opens it
 * only if that row is current; a stale row is read again from the primary once, and must still be
 * `stillEntitled` (a code sign-in: the contact may have moved to another user meanwhile). A blocked
 * account answers invalid_status; a deleted one user_not_found.
 */
export async function openSession(
  services: Services,
  user: User,
  stillEntitled: (fresh: User) => boolean = () => true,
): Promise<TokenResponse> {
  const { session, tokens } = await prepareSession(services, user.id, scopeOf(user));
  let answer = await services.accounts.openSession(user, session);
  if (answer.kind === "stale") {
    const fresh = await freshUser(services, user.id, answer.stamp);
    if (!fresh || !stillEntitled(fresh)) throw new ApiError("user_not_found");
    answer = await services.accounts.openSession(fresh, session);
  }
  switch (answer.kind) {
    case "opened":
      return tokens;
    case "blocked":
      throw blockedError();
    case "deleted":
      throw new ApiError("user_not_found");
    case "stale": // changed again between the two reads: fail closed
      throw new ApiError("unavailable");
  }
}
