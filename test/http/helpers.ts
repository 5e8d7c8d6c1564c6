// Black-box HTTP helpers: every call goes through the Worker's own fetch handler in workerd.
import { env, exports } from "cloudflare:workers";
import { fetchWorker, recordAnswer } from "../recorder";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
const ORIGIN = "https://auth.test";

type Fetcher = { fetch(request: Request): Promise<Response> };
const worker = (exports as unknown as { default: Fetcher }).default;

export interface CallOptions {
  body?: unknown;
  /** A raw body string, sent as is. */
  raw?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

function buildRequest(method: string, path: string, options: CallOptions): Request {
  const headers = new Headers(options.headers);
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  if (body !== undefined && contentType !== null) headers.set("content-type", contentType);
  // A string body would get an implicit text/plain type; bytes go without one.
  const payload = body !== undefined && contentType === null ? new TextEncoder().encode(body) : body;
  return new Request(new URL(path, ORIGIN), { method, headers, body: payload });
}

/**
 * A request to the Worker as deployed (the bindings and variables of wrangler.toml + test secrets).
 * It goes to the Worker's fetch handler in this isolate: the `exports.default` service binding
 * hands requests over one at a time, so tests about races would never race through it.
 */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  return handle(buildRequest(method, path, options), env);
}

/** Through the service binding of the Worker's default export, for tests of the entry point itself. */
export async function callEntry(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const request = buildRequest(method, path, options);
  const response = await worker.fetch(request.clone());
  await recordAnswer(request, response);
  return response;
}

const handle = fetchWorker;

/**
 * The same Worker code and the same real D1/Durable Object bindings, with some variables
 * overridden: how tests exercise other configurations (thresholds, senders, keys).
 */
export async function callWith(
  overrides: Record<string, unknown>,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  return handle(buildRequest(method, path, options), { ...env, ...overrides });
}

export const post = (path: string, body: unknown, options: CallOptions = {}) => call("POST", path, { ...options, body });

export async function jsonOf<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Asserts nothing here; returns status and parsed body for compact expectations. */
export async function result(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

let counter = 0;
/** A username no other test uses (tests share one database per file). */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}${counter}_${crypto.randomUUID().slice(0, 8)}`;
}

export const admin = (method: string, path: string, body?: unknown) =>
  call(method, path, { body, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

export interface CreatedUser {
  sub: string;
  username: string | null;
  phone_number: string | null;
  email: string | null;
}

export async function createUser(fields: Record<string, unknown>): Promise<CreatedUser> {
  const response = await admin("POST", "/auth/v1/admin/users", fields);
  if (response.status !== 201) throw new Error(`createUser failed: ${response.status} ${await response.text()}`);
  return jsonOf<CreatedUser>(response);
}

export const signin = (body: unknown, options: CallOptions = {}) => post("/auth/v1/signin", body, options);
