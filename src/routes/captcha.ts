// POST /auth/v1/captcha/data and /auth/v1/captcha/data/verify (docs/protocol.md §7).
import type { Hono } from "hono";
import * as v from "valibot";
import { createImageChallenge, solveImageChallenge } from "../captcha/image-provider";
import { ApiError } from "../errors";
import { readBody, readJsonObject } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import { NO_STORE } from "./token-response";

export const VerifyBody = v.object({
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/)),
  key: v.pipe(v.string(), v.maxLength(32)),
});

export function registerCaptcha(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/captcha/data", {
    POST: async (c) => {
      await readJsonObject(c.req.raw); // the clients send {state, redirect_uri}: read, then ignored
      const services = servicesFor(c.env);
      if (services.config.captchaProvider === "turnstile") {
        const { turnstileSiteKey, turnstileAction } = services.config;
        return c.json({ type: "turnstile", site_key: turnstileSiteKey, action: turnstileAction });
      }
      return c.json(await createImageChallenge(services), 200, NO_STORE);
    },
  });
  endpoint(app, "/auth/v1/captcha/data/verify", {
    POST: async (c) => {
      const body = await readBody(c.req.raw, VerifyBody);
      const services = servicesFor(c.env);
      if (services.config.captchaProvider !== "image") {
        throw new ApiError("invalid_argument", { description: "This service uses Turnstile: send the widget's token" });
      }
      return c.json(await solveImageChallenge(services, body.token, body.key), 200, NO_STORE);
    },
  });
}
