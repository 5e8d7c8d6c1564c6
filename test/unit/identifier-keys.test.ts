// The key a username is held under is computed twice: in SQL by migrations/0012_user_identifiers.sql
// (the triggers and the back-fill) and in TypeScript by usernameKey (what sign-in looks up). They must
// agree on every username USERNAME_PATTERN admits. And the back-fill keeps the oldest user on a clash.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { USERNAME_PATTERN, usernameKey } from "../../src/auth/identifiers";

const ALPHABET = "aZ0@.-+_:";
let serial = 0;
const userId = () => (10n ** 18n + 5_000_000_000n + BigInt(serial++)).toString();

function randomUsername(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2 + (crypto.getRandomValues(new Uint8Array(1))[0]! % 10)));
  return `${"Ab0"[bytes[0]! % 3]}${Array.from(bytes.slice(1), (byte) => ALPHABET[byte % ALPHABET.length]).join("")}`;
}

const insertUser = (id: string, username: string | null, email: string | null, createdAt: number) =>
  env.DB.prepare("INSERT INTO users (id, username, email, status, created_at, updated_at) VALUES (?1, ?2, ?3, 'ACTIVE', ?4, ?4)").bind(
    id,
    username,
    email,
    createdAt,
  );

const keysOf = async (id: string) =>
  (await env.DB.prepare("SELECT identifier FROM user_identifiers WHERE user_id = ?1").bind(id).all<{ identifier: string }>()).results.map(
    (row) => row.identifier,
  );

describe("the SQL key of a username", () => {
  it("equals usernameKey for tricky and random usernames", async () => {
    const tricky = ["a@b.c", "A@B.C.", "a@b.c..", "a@b..c", "a@.b", "a@b", "a@b@c.d", "ab.", "A.b@C-d.EF", "x+y@z.io", "a:b@c.d", "0@1.2."];
    const random = Array.from({ length: 300 }, randomUsername);
    const atSigned = Array.from({ length: 300 }, () => `${randomUsername()}@${randomUsername()}`.slice(0, 48));
    const candidates = [...new Set([...tricky, ...random, ...atSigned])].filter((name) => USERNAME_PATTERN.test(name));
    // One name per TypeScript key, inserted in one batch: were two SQL keys equal where the
    // TypeScript ones differ, the batch would fail.
    const names = [...new Map(candidates.map((name) => [usernameKey(name), name])).values()];
    const users = names.map((name) => ({ id: userId(), name }));
    await env.DB.batch(users.map(({ id, name }) => insertUser(id, name, null, 1)));
    const { results } = await env.DB.prepare(
      `SELECT user_id, identifier FROM user_identifiers WHERE user_id IN (SELECT value FROM json_each(?1))`,
    )
      .bind(JSON.stringify(users.map(({ id }) => id)))
      .all<{ user_id: string; identifier: string }>();
    const held = new Map(results.map((row) => [row.user_id, row.identifier]));
    expect(held.size).toBe(users.length);
    for (const { id, name } of users) expect(held.get(id), name).toBe(usernameKey(name));
    expect(names.filter((name) => usernameKey(name) !== name).length).toBeGreaterThan(10);
  });
});

describe("the back-fill of migrations/0012", () => {
  it("keeps the oldest user on a clash, and the documented query lists the other", async () => {
    const email = `backfill-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const [older, newer] = [userId(), userId()];
    await insertUser(older, null, email, 1000).run();
    // A database from before the migration: a username equal to the email, and no key rows.
    await env.DB.prepare("DELETE FROM user_identifiers WHERE user_id = ?1").bind(older).run();
    await insertUser(newer, email.toUpperCase(), null, 2000).run();
    await env.DB.prepare("DELETE FROM user_identifiers WHERE user_id IN (?1, ?2)").bind(older, newer).run();

    const migration = env.TEST_MIGRATIONS.find((item) => item.name.startsWith("0012_"))!;
    const backfill = migration.queries.find((query) => query.includes("INSERT OR IGNORE INTO user_identifiers"))!;
    await env.DB.prepare(backfill).run();
    await env.DB.prepare(backfill).run(); // idempotent

    expect(await keysOf(older)).toEqual([email]);
    expect(await keysOf(newer)).toEqual([]);
    const clashes = await env.DB.prepare(
      `SELECT k.user_id, k.kind, k.identifier, i.user_id AS held_by
         FROM user_identifier_keys k JOIN user_identifiers i ON i.identifier = k.identifier
        WHERE i.user_id <> k.user_id`,
    ).all();
    expect(clashes.results).toContainEqual({ user_id: newer, kind: "username", identifier: email, held_by: older });
  });
});
