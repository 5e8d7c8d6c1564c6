// X-Request-Id: echo a well-formed id from the client, else generate a UUIDv4 (docs/protocol.md §1).
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

const CLIENT_ID_FORMAT = /^[A-Za-z0-9._:-]{1,128}$/;

export function pickRequestId(sent: string | undefined): string {
  return sent !== undefined && CLIENT_ID_FORMAT.test(sent) ? sent : crypto.randomUUID();
}

export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = pickRequestId(c.req.header("x-request-id"));
  c.set("requestId", id);
  await next();
  c.res.headers.set("X-Request-Id", id);
};
