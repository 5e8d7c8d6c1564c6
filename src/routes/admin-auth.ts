// Admin endpoints take `Authorization: Bearer <ADMIN_API_TOKEN>` (src/auth/admin-authentication.ts:
// constant-time comparison, failed calls limited per IP). With no token configured the admin API is off.
import type { MiddlewareHandler } from "hono";
import { authenticateAdmin } from "../auth/admin-authentication";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { bearerToken } from "./bearer";

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  await authenticateAdmin(servicesFor(c.env), bearerToken(c), c.req.header("cf-connecting-ip") ?? null);
  await next();
};
