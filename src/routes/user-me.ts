// GET /auth/v1/user/me (docs/protocol.md §4): the signed-in user, for a genuine access token of a live
// session; DELETE /auth/v1/user/me?sudo_token=: the user deletes their own account.
import type { Hono } from "hono";
import { deleteAccount } from "../auth/delete-account";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { logAuthEvent } from "../observability/auth-events";
import { servicesFor } from "../services";
import { publicUser } from "../storage/users";
import { PRIVATE, signedIn } from "./bearer";
import { requireSudo } from "./user-password";

export function registerUserMe(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/me", {
    GET: async (c) => c.json(publicUser((await signedIn(c)).user), 200, PRIVATE),
    DELETE: async (c) => {
      const session = await signedIn(c);
      const services = servicesFor(c.env);
      await requireSudo(c, services, session);
      if (!(await deleteAccount(services, session.user.id))) throw new ApiError("user_not_found");
      logAuthEvent(c.get("requestId"), { event: "account.deleted", sub: session.user.id });
      // 200 with a JSON body, never 204: the clients retry an answer that is not JSON.
      return c.json({}, 200, PRIVATE);
    },
  });
}
