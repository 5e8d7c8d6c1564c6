// Paths the official CloudBase clients know but this server does not offer: 501 `unimplemented`
// saying the feature is not enabled here, instead of 404. The js-sdk reads a 404 `not_found` as
// "this user does not exist" and tells the user to sign up; "not enabled" it files as a sign-in
// method that is switched off, which is the truth. Truly unknown paths stay 404. Not part of the
// API (no OpenAPI operation): they exist only to be refused clearly.
import type { Hono } from "hono";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";

/** Every such path (Hono patterns), by the feature it belongs to. */
export const NOT_ENABLED: Record<string, string[]> = {
  "Third-party sign-in (OAuth / OIDC providers)": [
    "/auth/v1/user/provider/:provider_id/trans",
    "/auth/v1/user/trans/by/provider",
    "/auth/v1/mgr/provider/providerSubType",
  ],
  "Custom-ticket sign-in": ["/auth/v1/signin/custom"],
  "WeChat sign-in": ["/auth/v1/signin/wechat/noauth", "/auth/v1/qrcode/generate", "/auth/v1/qrcode/get/status"],
  "Checking whether a username exists": ["/auth/v1/checkIfUserExist", "/auth/v1/checkUsername"],
  "Querying users": ["/auth/v1/user/query"],
  "Device authorisation": [
    "/auth/v1/device/code",
    "/auth/v1/user/device/authorize",
    "/auth/v1/user/authorized/devices/:device_id",
  ],
  "Acting as an OAuth provider": ["/auth/v1/user/authorize", "/auth/v1/user/authorize/info"],
  "The security history": ["/auth/v1/user/security/history"],
  "WeDa": ["/auth/v1/plugin/weda/userinfo"],
  "The captcha/init endpoint (use /auth/v1/captcha/data)": ["/auth/v1/captcha/init"],
  "Client-credential tokens": ["/auth/v1/token/clientCredential"],
  "The /auth/v2 API (encrypted-password sign-in)": [
    "/auth/v2/signin/publichkey",
    "/auth/v2/signin/username",
    "/auth/v2/signin/verificationcode",
    "/auth/v2/signin/with/provider",
    "/auth/v2/signin/password/update",
    "/auth/v2/user/me",
    "/auth/v2/token",
  ],
};

/**
 * Methods the clients use on paths this server offers with other methods: 501 (not 405) from the
 * path's method fallback (`endpoint()` in src/routes/operation.ts).
 */
export const NOT_ENABLED_METHODS: Record<string, string> = {
  // The mini-program sign-in's second step (`patchProviderToken`, with WeChat's encrypted data).
  "PATCH /auth/v1/provider/token": "Mini-program provider sign-in",
};

/** The refusal of a feature this server does not offer. */
export const notEnabled = (feature: string) =>
  new ApiError("unimplemented", { description: `${feature} is not enabled on this server` });

/** Registered after every real endpoint, so none of these shadows one. */
export function registerNotEnabled(app: Hono<AppEnv>): void {
  for (const [feature, paths] of Object.entries(NOT_ENABLED)) {
    const refusal = () => {
      throw notEnabled(feature);
    };
    for (const path of paths) app.all(path, refusal);
  }
}
