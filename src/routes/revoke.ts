// POST /auth/v1/revoke (docs/protocol.md §5, RFC 7009): 200 {} for any well-formed body.
import type { Hono } from "hono";
import * as v from "valibot";
import { revokeToken } from "../auth/sign-out";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { endpoint, operation } from "./operation";
import { Empty } from "../api/answers";

// `token_type_hint` (RFC 7009) and client fields are accepted and ignored: the token's form tells.
export const RevokeBody = v.object({ token: v.string() });

export function registerRevoke(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/revoke", {
    POST: operation({
      operationId: "revoke",
      tag: "Sessions",
      summary: "Sign out: revoke the session behind an access or refresh token",
      description: "Answers `{}` for any well-formed body, known token or not (RFC 7009).",
      body: RevokeBody,
      success: { status: 200, description: "Revoked (or nothing to revoke)", schema: Empty, headers: { "Cache-Control": "no-store" } },
      errors: ["invalid_argument"],
      handle: async (c, { body }) => {
        await revokeToken(servicesFor(c.env), body.token);
        return {};
      },
    }),
  });
}
