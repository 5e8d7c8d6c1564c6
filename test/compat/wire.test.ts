// What the CloudBase clients put on the wire, replayed by hand: the preflights their browser builds
// trigger, and the request shapes the services accepts only because the clients send them.
import { describe, expect, it } from "vitest";
import { API_ORIGIN, PAGE_ORIGIN } from "./browser";
import { makeUser, OTP_CODE, openWorld } from "./world";
import { callWith, result } from "../http/helpers";

// The headers js-sdk 3.x sends on an authenticated call (signOut, getUserInfo, a code send while
// signed in): its own X-SDK-Version, the request and device ids, the language, the bearer. The
// body goes as text/plain, which alone would need no preflight.
const SDK_HEADERS = "accept-language,authorization,content-type,x-device-id,x-request-id,x-sdk-version";

async function preflight(path: string, method: string, headers: string, vars: Record<string, string> = {}) {
  return callWith(vars, "OPTIONS", path, {
    headers: { origin: PAGE_ORIGIN, "access-control-request-method": method, "access-control-request-headers": headers },
  });
}

describe("CORS for the clients' browser builds", () => {
  it.each([
    ["POST", "/auth/v1/signin?client_id=app-1"],
    ["POST", "/auth/v1/verification?client_id=app-1"],
    ["GET", "/auth/v1/user/me"],
    ["POST", "/auth/v1/revoke?client_id=app-1"],
  ])("answers the js-sdk's preflight for %s %s", async (method, path) => {
    const response = await preflight(path, method, SDK_HEADERS);

    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")!.split(",")).toContain(method);
    const allowed = response.headers.get("access-control-allow-headers")!.toLowerCase().split(",");
    for (const header of SDK_HEADERS.split(",")) expect(allowed).toContain(header);
    expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
  });

  it("answers the preflight of @cloudbase/oauth used alone, whose language header is named 'undefined'", async () => {
    const response = await preflight("/auth/v1/signin?client_id=app-1", "POST", "undefined,x-device-id,x-request-id");
    expect(response.headers.get("access-control-allow-headers")!.split(",")).toContain("undefined");
  });

  it("echoes a listed origin and refuses others when CORS_ORIGINS is a list", async () => {
    const vars = { CORS_ORIGINS: `${PAGE_ORIGIN}, https://other.example` };
    const allowed = await preflight("/auth/v1/signin", "POST", SDK_HEADERS, vars);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(PAGE_ORIGIN);
    expect(allowed.headers.get("vary")).toContain("Origin");

    const refused = await callWith(vars, "OPTIONS", "/auth/v1/signin", {
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": SDK_HEADERS },
    });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("request shapes only the clients send", () => {
  it("accepts js-sdk 3.x's usage 'recovery' as PASSWORD_RESET: its token cannot sign in", async () => {
    const { page, emails } = openWorld();
    await makeUser({ email: emails[0] });
    const post = async (path: string, body: unknown) =>
      result(await page.fetch(`${API_ORIGIN}${path}`, { method: "POST", body: JSON.stringify(body) }));

    const sent = await post("/auth/v1/verification", { email: emails[0], usage: "recovery" });
    expect(sent.status).toBe(200);
    const verified = await post("/auth/v1/verification/verify", { verification_id: sent.body.verification_id, verification_code: OTP_CODE });
    expect(verified.status).toBe(200);
    const signin = await post("/auth/v1/signin", { username: emails[0], verification_token: verified.body.verification_token });
    expect(signin).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("still refuses a usage nobody defined", async () => {
    const { page, emails } = openWorld();
    const response = await page.fetch(`${API_ORIGIN}/auth/v1/verification`, {
      method: "POST",
      body: JSON.stringify({ email: emails[0], usage: "email_change" }),
    });
    expect(await result(response)).toMatchObject({ status: 400, body: { error: "invalid_argument" } });
  });
});
