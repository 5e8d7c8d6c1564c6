// Oversized bodies through wrangler dev's local proxy: a 413 request_too_large, never the 503 the
// proxy makes of a response to a body the Worker left unread (docs/protocol.md §1).
import { describe, expect, inject, it } from "vitest";

const SIZE = 3 * 1024 * 1024;

async function post(body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${inject("baseUrl")}/auth/v1/signin`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    // @ts-expect-error: Node's fetch needs duplex for a streamed body
    duplex: "half",
  });
}

function chunked(total: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

describe("a 3 MB body under wrangler dev", () => {
  it("is 413 request_too_large with Content-Length", async () => {
    const response = await post("a".repeat(SIZE));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe("request_too_large");
  });

  it("is 413 request_too_large when streamed without Content-Length", async () => {
    const response = await post(chunked(SIZE));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe("request_too_large");
  });
});
