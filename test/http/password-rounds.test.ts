import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, callWith, result, uniqueName } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const storedHash = async (sub: string) =>
  (await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?1").bind(sub).first<{ password_hash: string }>())!.password_hash;

async function createWith(vars: Record<string, string>, username: string, password: string): Promise<string> {
  const created = await callWith(vars, "POST", "/auth/v1/admin/users", {
    body: { username, password },
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { sub: string }).sub;
}

const signinWith = (vars: Record<string, string>, username: string, password: string) =>
  callWith(vars, "POST", "/auth/v1/signin", { body: { username, password } }).then(result);

describe("PASSWORD_HASH_ROUNDS: chained PBKDF2 runs, each within the 100,000-iteration cap", () => {
  it("hashes with the configured rounds, recorded in the hash, and checks them", async () => {
    const vars = { PASSWORD_HASH_ROUNDS: "3" };
    const username = uniqueName();
    const sub = await createWith(vars, username, "three rounds");
    expect(await storedHash(sub)).toMatch(/^pbkdf2-sha256\$100000x3\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    expect(await signinWith(vars, username, "three rounds")).toMatchObject({ status: 200 });
    expect(await signinWith(vars, username, "wrong")).toMatchObject({ status: 400, body: { error: "invalid_username_or_password" } });
    // A hash states its own rounds: it is checked with them whatever the setting is now.
    expect(await signinWith({}, username, "three rounds")).toMatchObject({ status: 200 });
  });

  it("re-hashes on the next successful sign-in when the rounds changed", async () => {
    const username = uniqueName();
    const sub = await createWith({}, username, "one round");
    expect(await storedHash(sub)).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await signinWith({ PASSWORD_HASH_ROUNDS: "2" }, username, "one round")).toMatchObject({ status: 200 });
    expect(await storedHash(sub)).toMatch(/^pbkdf2-sha256\$100000x2\$/);
    expect(await signinWith({}, username, "one round")).toMatchObject({ status: 200 });
    expect(await storedHash(sub)).toMatch(/^pbkdf2-sha256\$100000\$/);
  });

  it("refuses a setting outside 1..10 as a configuration error naming it", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
    expect(await signinWith({ PASSWORD_HASH_ROUNDS: "11" }, uniqueName(), "pw")).toMatchObject({ status: 500, body: { error: "internal" } });
    expect(lines.join("\n")).toContain("PASSWORD_HASH_ROUNDS");
  });
});
