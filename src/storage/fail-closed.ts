// Every call to D1 or a Durable Object that a decision depends on fails closed: an unreachable
// binding is 503 `unavailable` (the cause logged with the request id, never sent), never a pass.
import { ApiError } from "../errors";

export async function failClosed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new ApiError("unavailable", { cause: err });
  }
}
