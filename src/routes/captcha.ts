// POST /auth/v1/captcha/data and /auth/v1/captcha/data/verify (docs/protocol.md §7).
import type { Hono } from "hono";
import * as v from "valibot";
import { CaptchaChallenge, CaptchaToken } from "../api/answers";
import { takeHourlySlot } from "../auth/per-ip-hourly";
import { createImageChallenge, solveImageChallenge } from "../captcha/image-provider";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { endpoint, operation } from "./operation";
import { AnyObject } from "./schemas";
import { NO_STORE } from "./token-response";

export const VerifyBody = v.object({
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/)),
  key: v.pipe(v.string(), v.maxLength(32)),
});

export function registerCaptcha(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/captcha/data", {
    POST: operation({
      operationId: "getCaptcha",
      tag: "Captcha",
      summary: "A captcha challenge (image) or the Turnstile site key",
      description:
        "The clients send `{state, redirect_uri}`; any JSON object is accepted and ignored. At most `CAPTCHAS_PER_IP_PER_HOUR` image challenges per IP (each is a picture drawn and encoded).",
      body: AnyObject,
      success: { status: 200, description: "A challenge", schema: CaptchaChallenge, headers: NO_STORE },
      errors: ["rate_limit_exceeded"],
      handle: async (c) => {
        const services = servicesFor(c.env);
        if (services.config.captchaProvider === "turnstile") {
          const { turnstileSiteKey, turnstileAction } = services.config;
          return { type: "turnstile" as const, site_key: turnstileSiteKey, action: turnstileAction };
        }
        await takeHourlySlot(services, "ip-captchas", c.req.header("cf-connecting-ip") ?? null, services.config.captchasPerIpPerHour);
        return await createImageChallenge(services);
      },
    }),
  });
  endpoint(app, "/auth/v1/captcha/data/verify", {
    POST: operation({
      operationId: "solveCaptcha",
      tag: "Captcha",
      summary: "Answer an image challenge for a single-use captcha token",
      body: VerifyBody,
      success: { status: 200, description: "Solved", schema: CaptchaToken, headers: NO_STORE },
      errors: ["invalid_argument", "captcha_invalid"],
      handle: async (c, { body }) => {
        const services = servicesFor(c.env);
        if (services.config.captchaProvider !== "image") {
          throw new ApiError("invalid_argument", { description: "This service uses Turnstile: send the widget's token" });
        }
        return await solveImageChallenge(services, body.token, body.key);
      },
    }),
  });
}
