// Where a captcha token rides on a request, and spending it (one token, one attempt).
import type { Services } from "../services";
import { redeemImageCaptchaToken } from "./image-provider";
import { redeemTurnstileToken } from "./turnstile";

// Image captcha tokens are base64url; Turnstile responses are URL-safe too (docs/protocol.md §7).
const TOKEN_FORMAT = /^[A-Za-z0-9._-]{1,4096}$/;

/**
 * The captcha token sent with a request: header `x-captcha-token`, else the `captcha_token` query
 * parameter (the official clients use only the query). Empty or malformed counts as none.
 */
export function presentedCaptchaToken(request: Request): string | undefined {
  const token = request.headers.get("x-captcha-token") || new URL(request.url).searchParams.get("captcha_token") || "";
  return TOKEN_FORMAT.test(token) ? token : undefined;
}

/** Spends a captcha token with the configured provider; false means `captcha_invalid`. */
export async function redeemCaptchaToken(services: Services, token: string, remoteIp: string | null): Promise<boolean> {
  return services.config.captchaProvider === "turnstile"
    ? redeemTurnstileToken(services, token, remoteIp)
    : redeemImageCaptchaToken(services, token);
}
