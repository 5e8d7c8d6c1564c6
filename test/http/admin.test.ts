import { describe, expect, it } from "vitest";
import { admin, call, callWith, createUser, result, signin, uniqueName } from "./helpers";

describe("admin authentication", () => {
  it.each([
    ["no token", {}],
    ["a wrong token", { authorization: "Bearer wrong-token" }],
    ["a prefix of the token", { authorization: "Bearer test-admin-token" }],
    ["another scheme", { authorization: "Basic dGVzdA==" }],
  ])("refuses %s with 403 permission_denied", async (_label, headers) => {
    const response = await call("GET", "/auth/v1/admin/settings", { headers });
    expect(await result(response)).toMatchObject({ status: 403, body: { error: "permission_denied", error_code: 4031 } });
  });

  it("is off when no ADMIN_API_TOKEN is configured", async () => {
    const response = await callWith({ ADMIN_API_TOKEN: "" }, "GET", "/auth/v1/admin/settings", {
      headers: { authorization: "Bearer " },
    });
    expect(await result(response)).toMatchObject({ status: 403, body: { error: "permission_denied" } });
  });
});

describe("admin users", () => {
  it("creates a user and returns it in the /user/me shape", async () => {
    const username = uniqueName();
    const response = await admin("POST", "/auth/v1/admin/users", {
      username,
      password: "pw-long-enough",
      phone_number: "+8613611112222",
      email: " New.User@Example.com ",
      name: "New User",
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      sub: expect.stringMatching(/^[1-9][0-9]{18}$/),
      username,
      name: "New User",
      picture: null,
      gender: null,
      description: null,
      phone_number: "+86 13611112222",
      email: "new.user@example.com",
      status: "ACTIVE",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      has_password: true,
    });
    expect(JSON.stringify(body)).not.toContain("pbkdf2");
  });

  it("refuses a taken username, phone or email with 409 already_exists", async () => {
    const username = uniqueName();
    await createUser({ username, phone_number: "+86 13622223333", email: `${username}@example.com` });
    for (const body of [{ username }, { phone_number: "+8613622223333" }, { email: `${username.toUpperCase()}@EXAMPLE.COM` }]) {
      expect(await result(await admin("POST", "/auth/v1/admin/users", body))).toMatchObject({
        status: 409,
        body: { error: "already_exists", error_code: 4090 },
      });
    }
  });

  it.each([
    ["no identifier", { password: "pw-long-enough" }],
    ["a bad username", { username: "_x" }],
    ["a bad phone", { phone_number: "+86 1" }],
    ["a bad email", { email: "nope" }],
    ["a long password", { username: "okname", password: "x".repeat(257) }],
    ["a password under PASSWORD_MIN_LENGTH", { username: "okname", password: "7 chars" }],
  ])("refuses %s with invalid_argument", async (_label, body) => {
    expect(await result(await admin("POST", "/auth/v1/admin/users", body))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument" },
    });
  });

  it("gets, changes and deletes a user", async () => {
    const username = uniqueName();
    const user = await createUser({ username, password: "first password" });
    expect(await result(await admin("GET", `/auth/v1/admin/users/${user.sub}`))).toMatchObject({ status: 200, body: { username } });

    const patched = await result(await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { password: "second password", name: "N" }));
    expect(patched).toMatchObject({ status: 200, body: { name: "N", has_password: true } });
    expect((await signin({ username, password: "first password" })).status).toBe(400);
    expect((await signin({ username, password: "second password" })).status).toBe(200);

    expect((await admin("DELETE", `/auth/v1/admin/users/${user.sub}`)).status).toBe(204);
    expect(await result(await admin("GET", `/auth/v1/admin/users/${user.sub}`))).toMatchObject({
      status: 404,
      body: { error: "user_not_found" },
    });
    expect((await admin("DELETE", `/auth/v1/admin/users/${user.sub}`)).status).toBe(404);
  });

  it("answers unknown or malformed ids with user_not_found", async () => {
    for (const sub of ["1234567890123456789", "abc", "123"]) {
      expect((await admin("PATCH", `/auth/v1/admin/users/${sub}`, { name: "x" })).status).toBe(404);
    }
  });

  it("refuses a bad status value", async () => {
    const user = await createUser({ username: uniqueName() });
    expect((await admin("PATCH", `/auth/v1/admin/users/${user.sub}`, { status: "DELETED" })).status).toBe(400);
  });
});

describe("admin settings", () => {
  it("turns username/password sign-in off (501 unimplemented) and on again", async () => {
    const username = uniqueName();
    await createUser({ username, password: "pw-long-enough" });
    expect(await result(await admin("GET", "/auth/v1/admin/settings"))).toEqual({
      status: 200,
      body: { username_password_signin: true, verification_signin: true, signup: true, anonymous_signin: false, provider_signin: {} },
    });
    try {
      const off = await result(await admin("PATCH", "/auth/v1/admin/settings", { username_password_signin: false }));
      expect(off.body).toMatchObject({ username_password_signin: false, verification_signin: true });
      const refused = await result(await signin({ username, password: "pw-long-enough" }));
      expect(refused).toMatchObject({ status: 501, body: { error: "unimplemented", error_code: 5010 } });
      expect(String(refused.body.error_description)).toContain("username_password_signin");
    } finally {
      await admin("PATCH", "/auth/v1/admin/settings", { username_password_signin: true });
    }
    expect((await signin({ username, password: "pw-long-enough" })).status).toBe(200);
  });

  it("takes its defaults from variables until an admin sets them", async () => {
    const response = await callWith({ SIGNUP: "false" }, "GET", "/auth/v1/admin/settings", {
      headers: { authorization: "Bearer test-admin-token-0123456789abcdef" },
    });
    expect((await result(response)).body).toMatchObject({ signup: false });
  });

  it("keeps a provider_signin switch per configured provider, and refuses unknown providers", async () => {
    const providers = JSON.stringify([
      { id: "corp", type: "oidc", issuer: "https://idp.example", client_id: "c", client_secret: "s" },
      { id: "gh", type: "github", client_id: "c", client_secret: "s", signin: false },
    ]);
    const headers = { authorization: "Bearer test-admin-token-0123456789abcdef" };
    const read = async () => (await result(await callWith({ AUTH_PROVIDERS: providers }, "GET", "/auth/v1/admin/settings", { headers }))).body;
    expect(await read()).toMatchObject({ provider_signin: { corp: true, gh: false } });
    try {
      const patch = (body: unknown) => callWith({ AUTH_PROVIDERS: providers }, "PATCH", "/auth/v1/admin/settings", { headers, body });
      expect((await result(await patch({ provider_signin: { corp: false } }))).body).toMatchObject({
        provider_signin: { corp: false, gh: false },
      });
      expect(await read()).toMatchObject({ provider_signin: { corp: false, gh: false } });
      const unknown = await result(await patch({ provider_signin: { nope: true } }));
      expect(unknown).toMatchObject({ status: 400, body: { error: "invalid_argument", details: [{ path: "provider_signin.nope" }] } });
    } finally {
      await callWith({ AUTH_PROVIDERS: providers }, "PATCH", "/auth/v1/admin/settings", { headers, body: { provider_signin: { corp: true } } });
    }
  });

  it("refuses non-boolean values", async () => {
    expect((await admin("PATCH", "/auth/v1/admin/settings", { signup: "yes" })).status).toBe(400);
  });
});
