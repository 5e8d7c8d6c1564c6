// POST /auth/v1/signin/anonymously: a guest session (auth/guest.ts). The body (`{}`, or the
// `provider_token` the clients' model allows) is read and ignored; so are `x-device-id` and the
// `Authorization: Basic` of the clients' silent re-login.
import type { Hono } from "hono";
import * as v from "valibot";
import { signInAsGuest } from "../auth/guest";
import type { AppEnv } from "../http/context";
import { logAuthEvent } from "../observability/auth-events";
import { servicesFor } from "../services";
import { NO_STORE } from "./token-response";
import { endpoint, operation } from "./operation";
import { TokenResponse } from "../api/answers";

export const AnonymousBody = v.object({});

export function registerSigninAnonymously(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/signin/anonymously", {
    POST: operation({
      operationId: "signInAnonymously",
      tag: "Sign-in",
      summary: "Sign in as a new guest",
      description:
        "Off unless the `anonymous_signin` switch is on (501 `unimplemented`, \"Anonymous login is not enabled\"). Every call makes a new guest (`x-device-id` is not used: see docs/account.md); at most `ANONYMOUS_SIGNINS_PER_IP_PER_HOUR` per IP. The answer has `scope: \"anonymous\"`; /user/me says `name: \"anonymous\"` until the guest binds a contact or sets a password, keeping its `sub`.",
      body: AnonymousBody,
      success: { status: 200, description: "A guest, signed in", schema: TokenResponse, headers: NO_STORE },
      errors: ["invalid_argument", "rate_limit_exceeded", "unimplemented"],
      handle: async (c) => {
        const tokens = await signInAsGuest(servicesFor(c.env), c.req.header("cf-connecting-ip") ?? null);
        logAuthEvent(c.get("requestId"), { event: "signin.succeeded", method: "anonymous", sub: tokens.sub });
        return tokens;
      },
    }),
  });
}
