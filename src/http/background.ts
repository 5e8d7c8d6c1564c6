// Work that need not delay the answer (settling an attempt, giving back a slot, a rehash): handed
// to the runtime's waitUntil, so it completes even when the client disconnects. A failure there is
// logged, never thrown: the answer has already gone.
import type { Context } from "hono";
import type { AppEnv } from "./context";

/** Runs `work` after (or alongside) the answer. */
export type Defer = (work: Promise<unknown>) => void;

export function deferFor(c: Context<AppEnv>): Defer {
  const requestId = c.get("requestId");
  return (work) => {
    c.executionCtx.waitUntil(
      work.catch((err: unknown) => {
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        console.error(JSON.stringify({ type: "error", request_id: requestId, kind: "background", message }));
      }),
    );
  };
}
