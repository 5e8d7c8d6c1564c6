// What the GitHub and WeChat stand-ins (test-github-provider.mjs, test-wechat-provider.mjs) share:
// a node:http server on 127.0.0.1, request bodies, answers, and stable made-up ids.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";

/** Starts `handler(req, res, url)` on 127.0.0.1 (`port` 0: a free one); resolves to its base URL and a stop(). */
export async function listen(port, handler) {
  const server = createServer(async (req, res) => {
    try {
      await handler(req, res, new URL(req.url ?? "/", "http://stand-in"));
    } catch (err) {
      send(res, 500, String(err), "text/plain");
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A form or JSON body as URLSearchParams. */
export async function readParams(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  if ((req.headers["content-type"] ?? "").startsWith("application/json")) {
    return new URLSearchParams(Object.entries(JSON.parse(text || "{}")).map(([key, value]) => [key, String(value)]));
  }
  return new URLSearchParams(text);
}

export function send(res, status, body, contentType = "application/json; charset=utf-8") {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

export function redirect(res, location) {
  res.writeHead(302, { location: location.toString() });
  res.end();
}

/** A stable id made of `parts` (the same account gets the same id on every run). */
export const stableId = (...parts) => createHash("sha256").update(parts.join("\0")).digest("base64url");

export const randomId = (bytes = 20) => randomBytes(bytes).toString("base64url");

/** Single-use grants (codes, tokens) that expire. */
export class Grants {
  #items = new Map();

  issue(value, ttlMs) {
    const id = randomId();
    this.#items.set(id, { value, until: Date.now() + ttlMs, used: false });
    return id;
  }

  /** The grant's value, and whether it was taken before (a replay); undefined if unknown or expired. */
  take(id) {
    const item = this.#items.get(id);
    if (!item || item.until < Date.now()) return undefined;
    const used = item.used;
    item.used = true;
    return { value: item.value, used };
  }

  peek(id) {
    const item = this.#items.get(id);
    return item && item.until >= Date.now() ? item.value : undefined;
  }
}
