// The bearer of a `/user/*` call: a genuine access token of a live session, or 401
// `unauthenticated`. That answer makes the CloudBase clients drop their session, so it is given for
// a bad bearer only; every other failure of these endpoints has another name.
import type { Context } from "hono";
import { currentSession, type SignedIn } from "../auth/current-user";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { verifyAccessToken } from "../tokens/verify-access-token";

const BEARER = /^Bearer +([^\s]+)$/i;

/** The access token of `Authorization: Bearer <token>`, if the request carries one. */
export const bearerToken = (c: Context<AppEnv>) => BEARER.exec(c.req.header("authorization") ?? "")?.[1];

export const unauthenticated = () =>
  new ApiError("unauthenticated", { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });

/** The signed-in user and session of the request. */
export async function signedIn(c: Context<AppEnv>): Promise<SignedIn> {
  const token = bearerToken(c);
  if (token === undefined) throw unauthenticated();
  const session = await currentSession(servicesFor(c.env), token);
  if (!session) throw unauthenticated();
  return session;
}

/**
 * The user id of a genuine, unexpired access token in the request, if any; the session is not
 * checked and a bad bearer is no error (the clients send their bearer on calls that need none).
 */
export async function bearerSubject(c: Context<AppEnv>): Promise<string | undefined> {
  const token = bearerToken(c);
  if (token === undefined) return undefined;
  const { config, keyRing } = servicesFor(c.env);
  return (await verifyAccessToken(await keyRing(), token, { issuer: config.issuer, audience: config.audience }))?.sub;
}

/** Personal data for one bearer: no shared cache may keep it. */
export const PRIVATE = { "Cache-Control": "no-store", Vary: "Authorization" };
