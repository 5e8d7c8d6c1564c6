// Admin endpoints take `Authorization: Bearer <ADMIN_API_TOKEN>` (src/auth/admin-authentication.ts:
// constant-time comparison, failed calls limited per IP). With no token configured the admin API is off.
import type { MiddlewareHandler } from "hono";
import { authenticateAdmin } from "../auth/admin-authentication";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const presented = /^Bearer ([^\s]+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  await authenticateAdmin(servicesFor(c.env), presented, c.req.header("cf-connecting-ip") ?? null);
  await next();
};
