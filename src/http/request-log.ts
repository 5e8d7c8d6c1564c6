// One structured JSON line per request. Only the path is logged: the query string can carry a
// captcha token, and bodies and headers carry passwords, codes and tokens, so none are logged.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  console.log(
    JSON.stringify({
      type: "request",
      request_id: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Date.now() - started,
      error: c.get("errorName") ?? null,
    }),
  );
};
