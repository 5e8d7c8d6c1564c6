// Signing out from a signed-in client: POST /auth/v1/user/signout (this session, all of them, or
// all others) and DELETE /auth/v1/user/revoke/all (every session). Both answer 200 `{}`: the
// clients retry a body that is not JSON.
import type { Hono } from "hono";
import * as v from "valibot";
import { signOutSessions } from "../auth/sign-out";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { logAuthEvent } from "../observability/auth-events";
import { servicesFor } from "../services";
import { PRIVATE, signedIn } from "./bearer";

// The js-sdk posts whatever the app passed to `signOut(params)`: `{}`, Supabase's `{scope}`, or
// `{redirect_uri, state}`. Other fields are ignored.
export const SignOutBody = v.object({
  scope: v.optional(v.picklist(["local", "global", "others"]), "local"),
});

export function registerUserSessions(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/user/signout", {
    POST: async (c) => {
      const { user, sessionId } = await signedIn(c);
      const body = await readBody(c.req.raw, SignOutBody);
      await signOutSessions(servicesFor(c.env), user.id, sessionId, body.scope);
      logAuthEvent(c.get("requestId"), { event: "signout", sub: user.id, scope: body.scope });
      return c.json({}, 200, PRIVATE);
    },
  });

  endpoint(app, "/auth/v1/user/revoke/all", {
    DELETE: async (c) => {
      const { user, sessionId } = await signedIn(c);
      await signOutSessions(servicesFor(c.env), user.id, sessionId, "global");
      logAuthEvent(c.get("requestId"), { event: "signout", sub: user.id, scope: "global" });
      return c.json({}, 200, PRIVATE);
    },
  });
}
