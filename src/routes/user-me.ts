// GET /auth/v1/user/me (docs/protocol.md §4): the signed-in user, for a genuine access token of a live
// session; DELETE /auth/v1/user/me?sudo_token=: the user deletes their own account.
import type { Hono } from "hono";
import { Empty, User } from "../api/answers";
import { deleteAccount } from "../auth/delete-account";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { logAuthEvent } from "../observability/auth-events";
import { servicesFor } from "../services";
import { publicUser } from "../storage/users";
import { PRIVATE } from "./bearer";
import { requireSudo } from "./user-password";
import { endpoint, operation } from "./operation";

export function registerUserMe(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/me", {
    GET: operation({
      operationId: "getUser",
      tag: "Sessions",
      summary: "The signed-in user",
      success: { status: 200, description: "The user", schema: User, headers: PRIVATE },
      errors: [],
      auth: "user",
      handle: (_c, { session }) => publicUser(session.user),
    }),
    DELETE: operation({
      operationId: "deleteMe",
      tag: "Account",
      summary: "Delete the signed-in user's account",
      description:
        "Needs `?sudo_token=` from POST /auth/v1/user/sudo (granted in this session, within 900 s). Every session of the user ends at once; the user's data is deleted. Answers 200 `{}` (never 204: the clients retry an answer that is not JSON).",
      success: { status: 200, description: "Deleted", schema: Empty, headers: PRIVATE },
      errors: ["invalid_grant", "user_not_found"],
      auth: "user",
      handle: async (c, { session }) => {
        const services = servicesFor(c.env);
        await requireSudo(c, services, session);
        if (!(await deleteAccount(services, session.user.id))) throw new ApiError("user_not_found");
        logAuthEvent(c.get("requestId"), { event: "account.deleted", sub: session.user.id });
        // 200 with a JSON body, never 204: the clients retry an answer that is not JSON.
        return {};
      },
    }),
  });
}
