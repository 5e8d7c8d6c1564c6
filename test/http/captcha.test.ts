import { afterEach, describe, expect, it, vi } from "vitest";
import { captchaToken, KNOWN_ANSWER, knownChallenge } from "./captcha-helpers";
import { callWith, post, result } from "./helpers";

describe("image captcha", () => {
  it("serves an SVG challenge that does not carry its answer as text", async () => {
    const response = await post("/auth/v1/captcha/data", { state: "abc", redirect_uri: "https://app.example" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, string | number>;
    expect(body).toMatchObject({ type: "image", expires_in: 300 });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const svg = atob(String(body.data).replace("data:image/svg+xml;base64,", ""));
    expect(svg).toMatch(/^<svg /);
    expect(svg).not.toContain("<text");
  });

  it("exchanges the right answer (any case) for a captcha token that lives 10 s", async () => {
    const token = await knownChallenge();
    const response = await post("/auth/v1/captcha/data/verify", { token, key: KNOWN_ANSWER.toLowerCase() });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await result(response)).body;
    expect(body).toEqual({ captcha_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expires_in: 10 });
  });

  it("answers a wrong key with captcha_invalid and kills the challenge after 3 tries", async () => {
    const token = await knownChallenge();
    for (let i = 0; i < 3; i++) {
      expect(await result(await post("/auth/v1/captcha/data/verify", { token, key: "WRONG" }))).toMatchObject({
        status: 400,
        body: { error: "captcha_invalid", error_code: 4030 },
      });
    }
    const late = await post("/auth/v1/captcha/data/verify", { token, key: KNOWN_ANSWER });
    expect(await result(late)).toMatchObject({ status: 400, body: { error: "captcha_invalid" } });
  });

  it("lets a solved challenge be exchanged only once", async () => {
    const token = await knownChallenge();
    expect((await post("/auth/v1/captcha/data/verify", { token, key: KNOWN_ANSWER })).status).toBe(200);
    expect((await post("/auth/v1/captcha/data/verify", { token, key: KNOWN_ANSWER })).status).toBe(400);
  });

  it("refuses malformed verify bodies with invalid_argument", async () => {
    expect(await result(await post("/auth/v1/captcha/data/verify", { token: 5, key: "x" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument" },
    });
  });

  it("issues distinct tokens", async () => {
    const [a, b] = await Promise.all([captchaToken(), captchaToken()]);
    expect(a).not.toBe(b);
  });
});

describe("turnstile", () => {
  afterEach(() => vi.restoreAllMocks());

  it("tells the client to render the widget", async () => {
    const vars = { CAPTCHA_PROVIDER: "turnstile", TURNSTILE_SITE_KEY: "site-key-1" };
    const response = await callWith(vars, "POST", "/auth/v1/captcha/data", { body: {} });
    expect(await result(response)).toEqual({ status: 200, body: { type: "turnstile", site_key: "site-key-1" } });
  });
});
