import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, callWith, createUser, result, uniqueName } from "./helpers";
import { consoleLog, uniqueIp, uniquePhone } from "./verification-helpers";

const listed = { CORS_ORIGINS: "https://app.example, https://other.example", IP_FAILURES_PER_HOUR: "1" };
const FOREIGN = "https://evil.example";

const wrongSignin = (vars: Record<string, string>, headers: Record<string, string>) =>
  callWith(vars, "POST", "/auth/v1/signin", {
    body: { username: uniqueName("victim"), password: "guess" },
    contentType: "text/plain",
    headers,
  });

describe("state-changing requests from an unlisted Origin", () => {
  it("answer 403 permission_denied with their own description, before the body is read", async () => {
    const response = await callWith(listed, "POST", "/auth/v1/signin", {
      raw: "not json at all",
      contentType: "text/plain",
      headers: { origin: FOREIGN },
    });
    const answer = await result(response);
    expect(answer).toMatchObject({ status: 403, body: { error: "permission_denied", error_code: 4031 } });
    expect(String(answer.body.error_description)).toMatch(/origin/i);
    expect(String(answer.body.error_description)).not.toMatch(/admin/i);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it.each(["PATCH", "PUT", "DELETE"])("refuses %s the same way", async (method) => {
    const response = await callWith(listed, method, "/auth/v1/user/me", { headers: { origin: FOREIGN } });
    expect(await result(response)).toMatchObject({ status: 403, body: { error: "permission_denied" } });
  });

  it("counts nothing: refused attempts leave the IP's failure window and the contact's cooldown untouched", async () => {
    consoleLog();
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) {
      expect((await wrongSignin(listed, { origin: FOREIGN, "cf-connecting-ip": ip })).status).toBe(403);
    }
    expect((await wrongSignin(listed, { "cf-connecting-ip": ip })).status).toBe(400);
    expect((await wrongSignin(listed, { "cf-connecting-ip": ip })).status).toBe(429);

    const phone = uniquePhone();
    const refused = await callWith(listed, "POST", "/auth/v1/verification", {
      body: { phone_number: phone },
      headers: { origin: FOREIGN, "cf-connecting-ip": uniqueIp() },
    });
    expect(refused.status).toBe(403);
    const sent = await callWith(listed, "POST", "/auth/v1/verification", {
      body: { phone_number: phone },
      headers: { origin: "https://app.example", "cf-connecting-ip": uniqueIp() },
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get("access-control-allow-origin")).toBe("https://app.example");
  });

  it("leaves requests without Origin, from a listed origin, from the service's own origin, and reads alone", async () => {
    const username = uniqueName();
    await createUser({ username, password: "right-password" });
    const body = { username, password: "right-password" };
    expect((await callWith(listed, "POST", "/auth/v1/signin", { body })).status).toBe(200);
    expect((await callWith(listed, "POST", "/auth/v1/signin", { body, headers: { origin: "https://other.example" } })).status).toBe(200);
    expect((await callWith(listed, "POST", "/auth/v1/signin", { body, headers: { origin: "https://auth.test" } })).status).toBe(200);
    expect((await callWith(listed, "GET", "/auth/v1/jwks", { headers: { origin: FOREIGN } })).status).toBe(200);
  });

  it("does not apply while CORS_ORIGINS is *", async () => {
    const response = await wrongSignin({ CORS_ORIGINS: "*" }, { origin: FOREIGN });
    expect(await result(response)).toMatchObject({ status: 400, body: { error: "invalid_username_or_password" } });
  });
});

describe("the admin API", () => {
  it("is not CORS-enabled: no preflight approval and no allow-origin header, even for a listed origin", async () => {
    const preflight = await callWith(listed, "OPTIONS", "/auth/v1/admin/users", {
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-methods")).toBeNull();
    const read = await callWith(listed, "GET", "/auth/v1/admin/settings", {
      headers: { origin: "https://app.example", authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });
});
