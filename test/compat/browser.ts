// A browser page for the CloudBase clients inside workerd: the globals their browser builds read
// (window, localStorage, sessionStorage) and a fetch that applies the CORS protocol the way a
// browser does (preflight, allowed origin and headers, exposed headers) before the Worker sees it.
import { fetchWorker } from "../recorder";

export const PAGE_ORIGIN = "https://app.example";
export const API_HOST = "auth.test";
export const API_ORIGIN = `https://${API_HOST}`;

/** Web Storage in memory: what `localStorage` is to the clients. */
export class MemoryStorage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  clear(): void {
    this.#items.clear();
  }
}

/** The page's `localStorage` (installed by installBrowserGlobals). */
export const pageLocalStorage = () => (globalThis as unknown as { localStorage: MemoryStorage }).localStorage;

/** The js-sdk's web adapter reads `window` and `localStorage` when `cloudbase.init` runs. */
export function installBrowserGlobals(): MemoryStorage {
  const scope = globalThis as Record<string, unknown>;
  scope.window ??= globalThis;
  scope.localStorage ??= new MemoryStorage();
  scope.sessionStorage ??= new MemoryStorage();
  return scope.localStorage as MemoryStorage;
}

/** One request as the Worker received it. */
export interface WireRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
  status: number;
  /** The response's headers before CORS filtering. */
  responseHeaders: Headers;
}

export interface PageOptions {
  /** The Worker's bindings and variables (tests override some, e.g. TEST_OTP). */
  env: object;
  /** Sent as CF-Connecting-IP, as Cloudflare's edge does for every request. */
  clientIp: string;
}

const SIMPLE_METHODS = new Set(["GET", "HEAD", "POST"]);
const SAFELISTED_REQUEST_HEADERS = new Set(["accept", "accept-language", "content-language", "content-type"]);
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);
const SAFELISTED_RESPONSE_HEADERS = new Set([
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
]);

const commaList = (value: string | null) =>
  (value ?? "").split(",").map((item) => item.trim().toLowerCase()).filter(Boolean);

/** Header names that make a request non-simple (Fetch standard, CORS-unsafe request headers). */
function unsafeHeaderNames(headers: Headers): string[] {
  const names: string[] = [];
  for (const [name, value] of headers) {
    const simpleType = name === "content-type" && SIMPLE_CONTENT_TYPES.has(value.split(";")[0]!.trim().toLowerCase());
    if (!SAFELISTED_REQUEST_HEADERS.has(name) || (name === "content-type" && !simpleType)) names.push(name);
  }
  return names.sort();
}

function corsFailure(what: string): TypeError {
  // A browser says only "Failed to fetch"; the reason is kept here so a failing test explains itself.
  return new TypeError(`Failed to fetch (CORS: ${what})`);
}

function checkAllowOrigin(response: Response, what: string): void {
  const allowed = response.headers.get("access-control-allow-origin");
  if (allowed !== "*" && allowed !== PAGE_ORIGIN) throw corsFailure(`${what} allows origin ${allowed ?? "(none)"}`);
}

/** A page on PAGE_ORIGIN whose fetch reaches the Worker at API_ORIGIN through CORS. */
export class BrowserPage {
  readonly wire: WireRecord[] = [];
  readonly preflights: Request[] = [];

  constructor(readonly options: PageOptions) {}

  async #worker(request: Request): Promise<Response> {
    return fetchWorker(request, this.options.env);
  }

  async #preflight(url: URL, method: string, headerNames: string[]): Promise<void> {
    const headers = new Headers({ origin: PAGE_ORIGIN, "access-control-request-method": method });
    if (headerNames.length > 0) headers.set("access-control-request-headers", headerNames.join(","));
    const preflight = new Request(url, { method: "OPTIONS", headers });
    this.preflights.push(preflight);
    const response = await this.#worker(preflight);
    if (!response.ok) throw corsFailure(`preflight answered ${response.status}`);
    checkAllowOrigin(response, "preflight");
    const methods = commaList(response.headers.get("access-control-allow-methods"));
    if (!SIMPLE_METHODS.has(method) && !methods.includes(method.toLowerCase())) {
      throw corsFailure(`method ${method} not allowed`);
    }
    const allowed = commaList(response.headers.get("access-control-allow-headers"));
    for (const name of headerNames) {
      // `*` never covers Authorization.
      if (!allowed.includes(name) && !(allowed.includes("*") && name !== "authorization")) {
        throw corsFailure(`request header ${name} not allowed`);
      }
    }
  }

  /** The page's `fetch`: what the clients' default request function calls. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== API_ORIGIN) throw new TypeError(`Failed to fetch: this page only reaches ${API_ORIGIN}, not ${url.origin}`);

    const unsafe = unsafeHeaderNames(request.headers);
    if (!SIMPLE_METHODS.has(request.method) || unsafe.length > 0) await this.#preflight(url, request.method, unsafe);

    const headers = new Headers(request.headers);
    headers.set("origin", PAGE_ORIGIN);
    headers.set("cf-connecting-ip", this.options.clientIp);
    const body = request.body === null ? "" : await request.text();
    const sent = new Request(url, { method: request.method, headers, body: body === "" ? undefined : body });
    const response = await this.#worker(sent);
    this.wire.push({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      status: response.status,
      responseHeaders: new Headers(response.headers),
    });

    checkAllowOrigin(response, `${request.method} ${url.pathname}`);
    const exposed = new Set([...SAFELISTED_RESPONSE_HEADERS, ...commaList(response.headers.get("access-control-expose-headers"))]);
    const visible = new Headers();
    for (const [name, value] of response.headers) if (exposed.has(name)) visible.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers: visible });
  };

  /** The requests that reached one path, in order. */
  calls(path: string): WireRecord[] {
    return this.wire.filter((record) => record.path === path);
  }
}
