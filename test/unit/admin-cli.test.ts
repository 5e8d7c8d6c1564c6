import { describe, expect, it } from "vitest";
import { adminRequest, UsageError } from "../../scripts/lib/admin-commands.mjs";

describe("admin CLI commands", () => {
  it.each([
    [["users", "create"], { username: "u", password: "p", phone: "+86 13800138000" }, { method: "POST", path: "/auth/v1/admin/users", body: { username: "u", password: "p", phone_number: "+86 13800138000" } }],
    [["users", "get", "1234567890123456789"], {}, { method: "GET", path: "/auth/v1/admin/users/1234567890123456789" }],
    [["users", "block", "1"], {}, { method: "PATCH", path: "/auth/v1/admin/users/1", body: { status: "BLOCKED" } }],
    [["users", "unblock", "1"], {}, { method: "PATCH", path: "/auth/v1/admin/users/1", body: { status: "ACTIVE" } }],
    [["users", "set-password", "1"], { password: "n" }, { method: "PATCH", path: "/auth/v1/admin/users/1", body: { password: "n" } }],
    [["users", "delete", "1"], {}, { method: "DELETE", path: "/auth/v1/admin/users/1" }],
    [["lockout", "clear", "1"], {}, { method: "DELETE", path: "/auth/v1/admin/users/1/lockout" }],
    [["settings", "get"], {}, { method: "GET", path: "/auth/v1/admin/settings" }],
    [["settings", "set", "signup=false", "verification_signin=true"], {}, { method: "PATCH", path: "/auth/v1/admin/settings", body: { signup: false, verification_signin: true } }],
  ])("maps %j to the admin API", (words, options, expected) => {
    expect(adminRequest(words, options)).toEqual(expected);
  });

  it.each([
    [[], {}],
    [["users", "frob"], {}],
    [["users", "create"], { password: "p" }],
    [["users", "get"], {}],
    [["users", "set-password", "1"], {}],
    [["settings", "set", "signup=maybe"], {}],
    [["settings", "set", "admin=true"], {}],
  ])("refuses %j with a usage error", (words, options) => {
    expect(() => adminRequest(words, options)).toThrow(UsageError);
  });
});
