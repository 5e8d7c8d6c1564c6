// The Hono app: middleware order, routes, and the single error renderer.
import { Hono, type Context } from "hono";
import { ConfigError, UnsafeConfigError, configFor } from "./config";
import { ApiError, errorBody } from "./errors";
import type { AppEnv } from "./http/context";
import { corsMiddleware, originGuard } from "./http/cors";
import { requestId } from "./http/request-id";
import { requestLog } from "./http/request-log";
import { requireAdmin } from "./routes/admin-auth";
import { registerAdminSettings } from "./routes/admin-settings";
import { registerAdminUsers } from "./routes/admin-users";
import { registerCaptcha } from "./routes/captcha";
import { registerDocs } from "./routes/docs";
import { registerJwks } from "./routes/jwks";
import { registerProviders } from "./routes/providers";
import { registerNotEnabled } from "./routes/not-enabled";
import { registerSignin } from "./routes/signin";
import { registerSigninAnonymously } from "./routes/signin-anonymously";
import { registerSignup } from "./routes/signup";
import { registerVerification } from "./routes/verification";
import { registerRevoke } from "./routes/revoke";
import { registerToken } from "./routes/token";
import { registerUserMe } from "./routes/user-me";
import { registerUserProviders } from "./routes/user-providers";
import { registerUserContact } from "./routes/user-contact";
import { registerUserPassword } from "./routes/user-password";
import { registerUserProfile } from "./routes/user-profile";
import { registerUserSessions } from "./routes/user-sessions";

function logFailure(requestId: string, kind: string, cause: unknown): void {
  // Causes are our own errors or the runtime's (D1, Durable Objects); ConfigError messages name
  // the variable, never its value. Request data is never part of them.
  const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  console.error(JSON.stringify({ type: "error", request_id: requestId, kind, message }));
}

/** Maps anything thrown to a client-visible error; internal causes are logged, never sent. */
export function toApiError(err: unknown, requestId: string): ApiError {
  if (err instanceof ApiError) {
    if (err.status >= 500 && err.options.cause !== undefined) logFailure(requestId, "unavailable", err.options.cause);
    return err;
  }
  if (err instanceof UnsafeConfigError) {
    logFailure(requestId, "config", err);
    return new ApiError("unavailable", { description: "The service is not configured safely for production", cause: err });
  }
  const unavailable = err instanceof Error && /D1_|Network connection lost|Durable Object/i.test(err.message);
  logFailure(requestId, err instanceof ConfigError ? "config" : unavailable ? "unavailable" : "bug", err);
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
  // The configuration is checked before anything else runs: a bad or (in production) unsafe one
  // fails every request, not only those that happen to read the variable in question.
  app.use(async (c, next) => {
    configFor(c.env);
    await next();
  });
  app.use(originGuard);
  app.use(corsMiddleware);
  app.use("/auth/v1/admin/*", requireAdmin);

  registerSignin(app);
  registerSigninAnonymously(app);
  registerSignup(app);
  registerVerification(app);
  registerJwks(app);
  registerToken(app);
  registerRevoke(app);
  registerUserMe(app);
  registerProviders(app);
  registerUserProviders(app);
  registerUserSessions(app);
  registerUserPassword(app);
  registerUserProfile(app);
  registerUserContact(app);
  registerAdminUsers(app);
  registerAdminSettings(app);
  registerCaptcha(app);
  registerDocs(app);
  registerNotEnabled(app);

  app.notFound((c) => renderError(new ApiError("not_found"), c));
  app.onError(renderError);
  return app;
}
