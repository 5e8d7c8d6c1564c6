// The public signing keys, current and previous, for offline verification of access tokens.
import type { Hono } from "hono";
import { Jwks } from "../api/answers";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { endpoint, operation } from "./operation";

const jwks = (operationId: string, summary: string) =>
  operation({
    operationId,
    tag: "Keys",
    summary,
    success: { status: 200, description: "A JWK Set", schema: Jwks, headers: { "Cache-Control": "public, max-age=300" } },
    errors: [],
    // jose types its JWKs loosely; the recorder checks the real ones against the schema.
    handle: async (c) => (await servicesFor(c.env).keyRing()).jwks as Jwks,
  });

export function registerJwks(app: Hono<AppEnv>): void {
  endpoint(app, "/.well-known/jwks.json", { GET: jwks("getJwks", "Public signing keys (current and previous)") });
  endpoint(app, "/auth/v1/jwks", { GET: jwks("getJwksAuthPath", "Public signing keys (the same as /.well-known/jwks.json)") });
}
