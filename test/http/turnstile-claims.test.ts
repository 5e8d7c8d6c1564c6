import { afterEach, describe, expect, it, vi } from "vitest";
import { callWith, createUser, result, uniqueName } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const vars = {
  CAPTCHA_PROVIDER: "turnstile",
  TURNSTILE_SITE_KEY: "site-key-1",
  TURNSTILE_SECRET: "turnstile-secret",
  TURNSTILE_SITEVERIFY_URL: "https://siteverify.test/siteverify",
  TURNSTILE_HOSTNAMES: "app.example, other.example",
  TURNSTILE_ACTION: "signin",
};

async function needingCaptcha(): Promise<string> {
  const username = uniqueName();
  await createUser({ username, password: "right password" });
  for (let i = 0; i < 3; i++) await callWith(vars, "POST", "/auth/v1/signin", { body: { username, password: "wrong" } });
  return username;
}

function siteverifyAnswers(answer: Record<string, unknown>): void {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) =>
    String(input) === vars.TURNSTILE_SITEVERIFY_URL ? Response.json(answer) : realFetch(input, init),
  );
}

const signinWithWidget = (username: string) =>
  callWith(vars, "POST", "/auth/v1/signin?captcha_token=widget-token", { body: { username, password: "right password" } });

describe("Turnstile answers are checked for hostname and action, not only success", () => {
  it("accepts a success from a listed hostname with the configured action", async () => {
    const username = await needingCaptcha();
    siteverifyAnswers({ success: true, hostname: "other.example", action: "signin" });
    expect((await signinWithWidget(username)).status).toBe(200);
  });

  it.each([
    ["an unlisted hostname", { success: true, hostname: "evil.example", action: "signin" }],
    ["no hostname", { success: true, action: "signin" }],
    ["another action", { success: true, hostname: "app.example", action: "login-page" }],
    ["no action", { success: true, hostname: "app.example" }],
  ])("refuses %s as captcha_invalid", async (_label, answer) => {
    const username = await needingCaptcha();
    siteverifyAnswers(answer);
    expect(await result(await signinWithWidget(username))).toMatchObject({ status: 400, body: { error: "captcha_invalid" } });
  });

  it("tells the client the action to render the widget with", async () => {
    const response = await callWith(vars, "POST", "/auth/v1/captcha/data", { body: {} });
    expect(await result(response)).toEqual({ status: 200, body: { type: "turnstile", site_key: "site-key-1", action: "signin" } });
  });

  it("is a configuration error (500, the log naming TURNSTILE_HOSTNAMES) without a hostname list", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
    const response = await callWith({ ...vars, TURNSTILE_HOSTNAMES: "" }, "POST", "/auth/v1/captcha/data", { body: {} });
    expect(await result(response)).toMatchObject({ status: 500, body: { error: "internal" } });
    expect(lines.join("\n")).toContain("TURNSTILE_HOSTNAMES");
  });
});
