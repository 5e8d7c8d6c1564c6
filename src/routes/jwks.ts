// The public signing keys, current and previous, for offline verification of access tokens.
import type { Context, Hono } from "hono";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";

async function jwks(c: Context<AppEnv>) {
  const ring = await servicesFor(c.env).keyRing();
  return c.json(ring.jwks, 200, { "Cache-Control": "public, max-age=300" });
}

export function registerJwks(app: Hono<AppEnv>): void {
  endpoint(app, "/.well-known/jwks.json", { GET: jwks });
  endpoint(app, "/auth/v1/jwks", { GET: jwks });
}
