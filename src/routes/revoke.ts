// POST /auth/v1/revoke (docs/protocol.md §5, RFC 7009): 200 {} for any well-formed body.
import type { Hono } from "hono";
import * as v from "valibot";
import { revokeToken } from "../auth/sign-out";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";

// `token_type_hint` (RFC 7009) and client fields are accepted and ignored: the token's form tells.
export const RevokeBody = v.object({ token: v.string() });

export function registerRevoke(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/revoke", {
    POST: async (c) => {
      const body = await readBody(c.req.raw, RevokeBody);
      await revokeToken(servicesFor(c.env), body.token);
      return c.json({}, 200, { "Cache-Control": "no-store" });
    },
  });
}
