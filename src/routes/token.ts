// POST /auth/v1/token: the refresh-token grant (docs/protocol.md §5). Other grant types are refused.
import type { Hono } from "hono";
import * as v from "valibot";
import { refreshSession } from "../auth/refresh";
import { ApiError } from "../errors";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { NO_STORE } from "./token-response";
import { endpoint, operation } from "./operation";
import { TokenResponse } from "../api/answers";

// Unknown fields (client_id, client_secret, ... from the CloudBase clients) are dropped.
export const TokenBody = v.object({
  grant_type: v.string(),
  refresh_token: v.optional(v.string()),
});

export function registerToken(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/token", {
    POST: operation({
      operationId: "refresh",
      tag: "Sessions",
      summary: "Refresh: a new token pair for a refresh token",
      description:
        "The refresh token is rotated out. Presenting it again within `REFRESH_REUSE_GRACE_SECONDS` returns the same successor; later, it revokes the whole session.",
      body: TokenBody,
      bodyRules: { properties: { grant_type: { const: "refresh_token" } }, required: ["refresh_token"] },
      bodyExamples: { refresh: { grant_type: "refresh_token", refresh_token: "<refresh token>" } },
      success: { status: 200, description: "A new token pair", schema: TokenResponse, headers: NO_STORE },
      errors: ["invalid_argument", "invalid_grant", "unsupported_grant_type"],
      handle: async (c, { body }) => {
        if (body.grant_type !== "refresh_token") throw new ApiError("unsupported_grant_type");
        if (body.refresh_token === undefined || body.refresh_token === "") {
          throw new ApiError("invalid_argument", { details: [{ path: "refresh_token", message: "required" }] });
        }
        const outcome = await refreshSession(servicesFor(c.env), body.refresh_token);
        if (outcome.kind === "refreshed") return outcome.tokens;
        if (outcome.kind === "reuse_detected") {
          // A security event for operators: ids only, never a token.
          console.warn(
            JSON.stringify({
              type: "security",
              event: "refresh_token_reuse",
              request_id: c.get("requestId"),
              session_id: outcome.sessionId,
              user_id: outcome.userId,
            }),
          );
        }
        throw new ApiError("invalid_grant");
      },
    }),
  });
}
