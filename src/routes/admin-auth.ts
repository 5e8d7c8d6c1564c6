// Admin endpoints take `Authorization: Bearer <ADMIN_API_TOKEN>`, compared in constant time.
// With no token configured the admin API is off: every call is refused.
import type { MiddlewareHandler } from "hono";
import { configFor } from "../config";
import { secretsEqual } from "../crypto/compare";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = configFor(c.env).adminApiToken;
  if (expected === undefined) {
    throw new ApiError("permission_denied", { description: "The admin API is off: set the ADMIN_API_TOKEN secret" });
  }
  const match = /^Bearer ([^\s]+)$/.exec(c.req.header("authorization") ?? "");
  if (!match || !(await secretsEqual(match[1]!, expected))) throw new ApiError("permission_denied", { description: "The admin token is missing or wrong" });
  await next();
};
