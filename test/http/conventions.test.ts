import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, callEntry, callWith, createUser, result, signin, uniqueName } from "./helpers";

describe("request bodies", () => {
  it("accepts JSON sent as text/plain, as the CloudBase clients send it", async () => {
    const username = uniqueName();
    await createUser({ username, password: "plain-text" });
    const response = await signin({ username, password: "plain-text" }, { contentType: "text/plain;charset=UTF-8" });
    expect(response.status).toBe(200);
  });

  it.each([
    ["a form", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["xml", "application/xml"],
    ["no content type", null],
  ])("refuses %s with 415 unsupported_media_type", async (_label, contentType) => {
    const response = await call("POST", "/auth/v1/signin", { raw: "username=a&password=b", contentType });
    expect(await result(response)).toMatchObject({ status: 415, body: { error: "unsupported_media_type", error_code: 4150 } });
  });

  it("refuses malformed JSON and non-objects with invalid_argument", async () => {
    for (const raw of ["{", "[]", '"text"', "null", "12", ""]) {
      expect(await result(await call("POST", "/auth/v1/signin", { raw }))).toMatchObject({
        status: 400,
        body: { error: "invalid_argument" },
      });
    }
  });

  it("refuses a body over 16 KiB from its Content-Length", async () => {
    const raw = JSON.stringify({ username: "someone", password: "x", pad: "a".repeat(17 * 1024) });
    expect(await result(await call("POST", "/auth/v1/signin", { raw }))).toMatchObject({
      status: 413,
      body: { error: "request_too_large", error_code: 4130 },
    });
  });

  it("refuses a streamed body over 16 KiB that has no Content-Length", async () => {
    const chunk = new TextEncoder().encode("a".repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request("https://auth.test/auth/v1/signin", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      // @ts-expect-error: streaming request bodies need duplex in the fetch spec
      duplex: "half",
    });
    expect(request.headers.get("content-length")).toBeNull();
    const response = await (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default.fetch(request);
    expect(await result(response)).toMatchObject({ status: 413, body: { error: "request_too_large" } });
  });
});

describe("routing", () => {
  it("signs in through the Worker's default export", async () => {
    const username = uniqueName();
    await createUser({ username, password: "entry-pass" });
    const response = await callEntry("POST", "/auth/v1/signin", { body: { username, password: "entry-pass" } });
    expect(response.status).toBe(200);
  });

  it("answers an unknown path with 404 not_found and a request id", async () => {
    const response = await callEntry("GET", "/auth/v1/nope");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await result(response)).toMatchObject({ status: 404, body: { error: "not_found", error_code: 4040 } });
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const response = await call("GET", "/auth/v1/signin");
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    expect(await result(response)).toMatchObject({ status: 405, body: { error: "method_not_allowed", error_code: 4050 } });
  });
});

describe("request id", () => {
  it("echoes a well-formed X-Request-Id", async () => {
    const response = await call("GET", "/auth/v1/jwks", { headers: { "x-request-id": "client-id.1:2_3" } });
    expect(response.headers.get("x-request-id")).toBe("client-id.1:2_3");
  });

  it.each([["a space", "bad id"], ["129 characters", "a".repeat(129)], ["a slash", "a/b"]])(
    "replaces one with %s by a UUID",
    async (_label, sent) => {
      const response = await call("GET", "/auth/v1/jwks", { headers: { "x-request-id": sent } });
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
  );
});

describe("CORS", () => {
  it("answers a preflight with the explicit header list, without storage", async () => {
    const response = await call("OPTIONS", "/auth/v1/signin", {
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-sdk-version,x-request-id,authorization",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const allowed = response.headers.get("access-control-allow-headers")!.split(",");
    for (const header of ["content-type", "authorization", "x-captcha-token", "x-request-id", "x-device-id", "x-sdk-version", "accept-language"]) {
      expect(allowed).toContain(header);
    }
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("exposes X-Request-Id and Retry-After and honours an origin list", async () => {
    const vars = { CORS_ORIGINS: "https://a.example, https://b.example" };
    const allowed = await callWith(vars, "GET", "/auth/v1/jwks", { headers: { origin: "https://b.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://b.example");
    expect(allowed.headers.get("access-control-expose-headers")).toBe("X-Request-Id,Retry-After");
    const other = await callWith(vars, "GET", "/auth/v1/jwks", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON line per request with no password or token in any line", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "error").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);
    const username = uniqueName();
    const password = "Secret-Password-Never-Logged";
    await createUser({ username, password });
    const ok = (await (await signin({ username, password }, { headers: { "x-request-id": "log-test-1" } })).json()) as Record<string, string>;
    await signin({ username, password: "Another-Secret-Never-Logged" });
    await call("POST", "/auth/v1/signin?captcha_token=Captcha-Secret-Never-Logged", { body: { username, password } });

    const requestLines = lines.filter((line) => line.includes('"type":"request"'));
    expect(requestLines.length).toBe(4);
    const signinLine = JSON.parse(requestLines.find((line) => line.includes("log-test-1"))!) as Record<string, unknown>;
    expect(signinLine).toMatchObject({ request_id: "log-test-1", method: "POST", path: "/auth/v1/signin", status: 200 });
    expect(typeof signinLine.duration_ms).toBe("number");
    const all = lines.join("\n");
    for (const secret of [password, "Another-Secret-Never-Logged", "Captcha-Secret-Never-Logged", ok.access_token!, ok.refresh_token!]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe("configuration", () => {
  afterEach(() => vi.restoreAllMocks());

  it("fails loudly naming a bad variable, with a 500 that says only internal", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
    const response = await callWith({ LOCK_SECONDS: "soon" }, "POST", "/auth/v1/signin", {
      body: { username: "someone", password: "x" },
    });
    const body = (await result(response)).body;
    expect(response.status).toBe(500);
    expect(body).toEqual({
      error: "internal",
      error_code: 5000,
      error_description: "Internal error",
      request_id: response.headers.get("x-request-id"),
    });
    expect(errors.join("\n")).toContain("LOCK_SECONDS");
    expect(errors.join("\n")).not.toContain("soon");
  });

  it("refuses a malformed JWT_SIGNING_KEYS loudly", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await callWith({ JWT_SIGNING_KEYS: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}' }, "GET", "/auth/v1/jwks");
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("c2VjcmV0");
  });
});

describe("JWKS", () => {
  it("publishes only public key members at both paths", async () => {
    for (const path of ["/.well-known/jwks.json", "/auth/v1/jwks"]) {
      const body = (await result(await call("GET", path))).body as { keys: Record<string, string>[] };
      expect(body.keys).toHaveLength(1);
      expect(body.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", kid: "test-key-1", use: "sig" });
      expect(body.keys[0]).not.toHaveProperty("d");
    }
  });
});
