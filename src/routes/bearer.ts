// The signed-in user of a bearer request (`Authorization: Bearer <access token>`): a genuine token
// of a live session, or 401 `unauthenticated` (which makes the clients drop their session, so it
// is only for a bad bearer).
import type { Context } from "hono";
import { currentUser } from "../auth/current-user";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import type { Services } from "../services";
import type { User } from "../storage/users";

const BEARER = /^Bearer +([^\s]+)$/i;

const unauthenticated = () =>
  new ApiError("unauthenticated", { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });

export async function bearerUser(c: Context<AppEnv>, services: Services): Promise<User> {
  const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
  if (token === undefined) throw unauthenticated();
  const user = await currentUser(services, token);
  if (!user) throw unauthenticated();
  return user;
}
