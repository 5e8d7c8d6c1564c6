// Signing out from a signed-in client: POST /auth/v1/user/signout (this session, all of them, or
// all others) and DELETE /auth/v1/user/revoke/all (every session). Both answer 200 `{}`: the
// clients retry a body that is not JSON.
import type { Hono } from "hono";
import * as v from "valibot";
import { Empty } from "../api/answers";
import { signOutSessions } from "../auth/sign-out";
import type { AppEnv } from "../http/context";
import { logAuthEvent } from "../observability/auth-events";
import { servicesFor } from "../services";
import { PRIVATE } from "./bearer";
import { endpoint, operation } from "./operation";

// The js-sdk posts whatever the app passed to `signOut(params)`: `{}`, Supabase's `{scope}`, or
// `{redirect_uri, state}`. Other fields are ignored.
export const SignOutBody = v.object({
  scope: v.optional(v.picklist(["local", "global", "others"]), "local"),
});

export function registerUserSessions(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/signout", {
    POST: operation({
      operationId: "signOutSessions",
      tag: "Sessions",
      summary: "Sign out this session, every session, or every other one",
      description:
        "`{}` (or `scope: \"local\"`) ends the bearer's session, `scope: \"global\"` every session of the user, `scope: \"others\"` all but the bearer's. Other fields (`redirect_uri`, `state`) are ignored.",
      body: SignOutBody,
      success: { status: 200, description: "Signed out", schema: Empty, headers: PRIVATE },
      errors: ["invalid_argument"],
      auth: "user",
      handle: async (c, { body, session: { user, sessionId } }) => {
        await signOutSessions(servicesFor(c.env), user.id, sessionId, body.scope);
        logAuthEvent(c.get("requestId"), { event: "signout", sub: user.id, scope: body.scope });
        return {};
      },
    }),
  });

  endpoint(app, "/auth/v1/user/revoke/all", {
    DELETE: operation({
      operationId: "revokeAllDevices",
      tag: "Sessions",
      summary: "End every session of the signed-in user",
      success: { status: 200, description: "Every session ended", schema: Empty, headers: PRIVATE },
      errors: [],
      auth: "user",
      handle: async (c, { session: { user, sessionId } }) => {
        await signOutSessions(servicesFor(c.env), user.id, sessionId, "global");
        logAuthEvent(c.get("requestId"), { event: "signout", sub: user.id, scope: "global" });
        return {};
      },
    }),
  });
}
