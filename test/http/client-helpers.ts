// The typed client (src/client) wired to the Worker in this isolate: its fetch calls the Worker's
// fetch handler directly, with the test bindings, as test/http/helpers.ts does.
import { env } from "cloudflare:workers";
import { AuthClient, MemoryStorage, type AuthClientOptions, type FetchLike } from "../../src/client";
import { fetchWorker } from "../recorder";

export interface WireCall {
  method: string;
  path: string;
  status: number;
  captcha: string | null;
}

/** A fetch into the Worker that also records each call (method, path, status, captcha header). */
export function workerFetch(calls: WireCall[] = [], vars: Record<string, unknown> = {}): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetchWorker(request, { ...env, ...vars });
    const url = new URL(request.url);
    calls.push({ method: request.method, path: url.pathname, status: response.status, captcha: request.headers.get("x-captcha-token") });
    return response;
  };
}

/** A client on a fresh memory storage; `vars` override the Worker's variables (e.g. TEST_OTP). */
export function testClient(options: Partial<AuthClientOptions> = {}, calls: WireCall[] = [], vars: Record<string, unknown> = {}) {
  const storage = new MemoryStorage();
  const client = new AuthClient({ baseUrl: "https://auth.test", fetch: workerFetch(calls, vars), storage, ...options });
  return { client, storage, calls };
}
