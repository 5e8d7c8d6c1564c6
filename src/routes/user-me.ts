// GET /auth/v1/user/me (contract §4): the signed-in user, for a genuine access token of a live session.
import type { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { publicUser } from "../storage/users";
import { PRIVATE, signedIn } from "./bearer";

export function registerUserMe(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/me", {
    GET: async (c) => c.json(publicUser((await signedIn(c)).user), 200, PRIVATE),
  });
}
