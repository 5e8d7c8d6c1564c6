// Registers the methods of one path and answers every other method with 405 and `Allow`.
import type { Handler, Hono } from "hono";
import { ApiError } from "../errors";
import type { AppEnv } from "./context";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** Every registered path with its methods, for the docs and the route-coverage test. */
export const registeredEndpoints: { path: string; methods: Method[] }[] = [];

export function endpoint(app: Hono<AppEnv>, path: string, handlers: Partial<Record<Method, Handler<AppEnv>>>): void {
  const methods = Object.keys(handlers) as Method[];
  for (const method of methods) app.on(method, path, handlers[method]!);
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  app.all(path, () => {
    throw new ApiError("method_not_allowed", { headers: { Allow: allow } });
  });
  registeredEndpoints.push({ path, methods });
}
