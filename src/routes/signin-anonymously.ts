// POST /auth/v1/signin/anonymously: a guest session (auth/guest.ts). The body (`{}`, or the
// `provider_token` the clients' model allows) is read and ignored; so are `x-device-id` and the
// `Authorization: Basic` of the clients' silent re-login.
import type { Hono } from "hono";
import * as v from "valibot";
import { signInAsGuest } from "../auth/guest";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { logAuthEvent } from "../observability/auth-events";
import { servicesFor } from "../services";
import { NO_STORE } from "./token-response";

export const AnonymousBody = v.object({});

export function registerSigninAnonymously(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/signin/anonymously", {
    POST: async (c) => {
      await readBody(c.req.raw, AnonymousBody);
      const tokens = await signInAsGuest(servicesFor(c.env), c.req.header("cf-connecting-ip") ?? null);
      logAuthEvent(c.get("requestId"), { event: "signin.succeeded", method: "anonymous", sub: tokens.sub });
      return c.json(tokens, 200, NO_STORE);
    },
  });
}
