// GET /auth/v1/user/me (contract §4): the signed-in user, for a genuine access token of a live session.
import type { Hono } from "hono";
import { currentUser } from "../auth/current-user";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import { publicUser } from "../storage/users";

const BEARER = /^Bearer +([^\s]+)$/i;

const unauthenticated = () =>
  new ApiError("unauthenticated", { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });

export function registerUserMe(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/me", {
    GET: async (c) => {
      const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
      if (token === undefined) throw unauthenticated();
      const user = await currentUser(servicesFor(c.env), token);
      if (!user) throw unauthenticated();
      // Personal data for one bearer: no shared cache may keep it.
      return c.json(publicUser(user), 200, { "Cache-Control": "no-store", Vary: "Authorization" });
    },
  });
}
