// POST /auth/v1/token: the refresh-token grant (docs/protocol.md §5). Other grant types are refused.
import type { Hono } from "hono";
import * as v from "valibot";
import { refreshSession } from "../auth/refresh";
import { ApiError } from "../errors";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import { NO_STORE } from "./token-response";

// Unknown fields (client_id, client_secret, ... from the CloudBase clients) are dropped.
export const TokenBody = v.object({
  grant_type: v.string(),
  refresh_token: v.optional(v.string()),
});

export function registerToken(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/token", {
    POST: async (c) => {
      const body = await readBody(c.req.raw, TokenBody);
      if (body.grant_type !== "refresh_token") throw new ApiError("unsupported_grant_type");
      if (body.refresh_token === undefined || body.refresh_token === "") {
        throw new ApiError("invalid_argument", { details: [{ path: "refresh_token", message: "required" }] });
      }
      const outcome = await refreshSession(servicesFor(c.env), body.refresh_token);
      if (outcome.kind === "refreshed") return c.json(outcome.tokens, 200, NO_STORE);
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
  });
}
