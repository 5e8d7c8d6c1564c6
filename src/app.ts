// The Hono app: middleware order, routes, and the single error renderer.
import { Hono, type Context } from "hono";
import { ConfigError } from "./config";
import { ApiError, errorBody } from "./errors";
import type { AppEnv } from "./http/context";
import { corsMiddleware } from "./http/cors";
import { requestId } from "./http/request-id";
import { requestLog } from "./http/request-log";
import { requireAdmin } from "./routes/admin-auth";
import { registerAdminSettings } from "./routes/admin-settings";
import { registerAdminUsers } from "./routes/admin-users";
import { registerJwks } from "./routes/jwks";
import { registerSignin } from "./routes/signin";

/** Maps anything thrown to a client-visible error; internal causes are logged, never sent. */
export function toApiError(err: unknown, requestId: string): ApiError {
  if (err instanceof ApiError) return err;
  const unavailable = err instanceof Error && /D1_|Network connection lost|Durable Object/i.test(err.message);
  console.error(
    JSON.stringify({
      type: "error",
      request_id: requestId,
      kind: err instanceof ConfigError ? "config" : unavailable ? "unavailable" : "bug",
      // ConfigError messages name the variable and never its value.
      message: err instanceof Error ? err.message : String(err),
    }),
  );
  return new ApiError(unavailable ? "unavailable" : "internal", { cause: err });
}

function renderError(err: unknown, c: Context<AppEnv>): Response {
  const id = c.get("requestId");
  const apiError = toApiError(err, id);
  c.set("errorName", apiError.error);
  return c.json(errorBody(apiError, id), apiError.status as 400, apiError.options.headers);
}

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId);
  app.use(requestLog);
  app.use(corsMiddleware);
  app.use("/auth/v1/admin/*", requireAdmin);

  registerSignin(app);
  registerJwks(app);
  registerAdminUsers(app);
  registerAdminSettings(app);

  app.notFound((c) => renderError(new ApiError("not_found"), c));
  app.onError(renderError);
  return app;
}
