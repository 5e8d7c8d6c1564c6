import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config";
import wranglerToml from "../../wrangler.toml?raw";
import { callWith, result } from "./helpers";

afterEach(() => vi.restoreAllMocks());

function errorLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
  return lines;
}

const SAFE_PRODUCTION = {
  ENVIRONMENT: "production",
  SENDER: "webhook",
  SMS_WEBHOOK_URL: "https://hooks.test/sms",
  EMAIL_WEBHOOK_URL: "https://hooks.test/email",
  WEBHOOK_SECRET: "whsec_c2VjcmV0",
  ADMIN_API_TOKEN: "a".repeat(32),
  CORS_ORIGINS: "https://app.example",
  CAPTCHA_PROVIDER: "image",
};

describe("ENVIRONMENT=production refuses unsafe configuration", () => {
  it("serves with a safe configuration", async () => {
    expect((await callWith(SAFE_PRODUCTION, "GET", "/auth/v1/jwks")).status).toBe(200);
  });

  it.each([
    ["the console sender", { SENDER: "console" }, "SENDER"],
    ["TEST_OTP", { TEST_OTP: '{"+86 13800138000":"123456"}' }, "TEST_OTP"],
    ["an admin token under 32 characters", { ADMIN_API_TOKEN: "a".repeat(31) }, "ADMIN_API_TOKEN"],
    ["an empty CORS list", { CORS_ORIGINS: "" }, "CORS_ORIGINS"],
    ["CORS_ORIGINS=*", { CORS_ORIGINS: "https://app.example,*" }, "CORS_ORIGINS"],
    ["Turnstile without its secret", { CAPTCHA_PROVIDER: "turnstile", TURNSTILE_SITE_KEY: "site" }, "TURNSTILE_SECRET"],
  ])("answers 503 on every request with %s, naming it in the log", async (_label, unsafe, name) => {
    const lines = errorLines();
    const vars = { ...SAFE_PRODUCTION, ...unsafe };
    const read = await result(await callWith(vars, "GET", "/auth/v1/jwks"));
    expect(read).toMatchObject({ status: 503, body: { error: "unavailable", error_code: 5030 } });
    expect(String(read.body.error_description)).toMatch(/configur/i);
    const write = await callWith(vars, "POST", "/auth/v1/signin", { body: { username: "someone", password: "pw" } });
    expect(write.status).toBe(503);
    expect(lines.length).toBe(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ type: "error", kind: "config", message: expect.stringContaining(name) });
  });

  it("leaves every other environment alone (the tests and npm run dev set no ENVIRONMENT)", async () => {
    expect((await callWith({ ...SAFE_PRODUCTION, ENVIRONMENT: "staging", SENDER: "console" }, "GET", "/auth/v1/jwks")).status).toBe(200);
    expect((await callWith({ CORS_ORIGINS: "*", TEST_OTP: "{}" }, "GET", "/auth/v1/jwks")).status).toBe(200);
  });

  it("wrangler.toml's production environment passes, given its secrets", () => {
    const section = wranglerToml.split(/^\[env\.production\.vars\]$/m)[1]!.split(/^\[/m)[0]!;
    const vars = Object.fromEntries([...section.matchAll(/^([A-Z_0-9]+)\s*=\s*"(.*)"\s*$/gm)].map((m) => [m[1], m[2]]));
    expect(vars.ENVIRONMENT).toBe("production");
    const secrets = { JWT_SIGNING_KEYS: "{}", ADMIN_API_TOKEN: "a".repeat(32), WEBHOOK_SECRET: "s", TURNSTILE_SECRET: "t" };
    expect(() => parseConfig({ ...vars, ...secrets })).not.toThrow();
  });
});

describe("cross-field configuration checks, in any environment", () => {
  it.each([
    ["Turnstile without TURNSTILE_SECRET", { CAPTCHA_PROVIDER: "turnstile" }, "TURNSTILE_SECRET"],
    ["the webhook sender without WEBHOOK_SECRET", { SENDER: "webhook", SMS_WEBHOOK_URL: "https://hooks.test/sms" }, "WEBHOOK_SECRET"],
    ["the webhook sender without any URL", { SENDER: "webhook", WEBHOOK_SECRET: "s" }, "SMS_WEBHOOK_URL"],
    ["EMAIL_SENDER=cloudflare without EMAIL_FROM", { SENDER: "webhook", EMAIL_SENDER: "cloudflare", WEBHOOK_SECRET: "s" }, "EMAIL_FROM"],
  ])("%s fails the first request (500), the log naming the variable", async (_label, vars, name) => {
    const lines = errorLines();
    const response = await result(await callWith(vars, "GET", "/auth/v1/jwks"));
    expect(response).toMatchObject({ status: 500, body: { error: "internal" } });
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: "config", message: expect.stringContaining(name) });
  });
});
