// The Hono environment shared by middleware and routes.
import type { Config } from "../config";
import type { Env } from "../env";
import type { ErrorName } from "../errors";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by the error renderer so the request log line names the failure. */
    errorName?: ErrorName;
  };
}

export type { Config };
