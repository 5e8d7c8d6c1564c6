// Admin switches (contract §4) in D1, over defaults from variables. Each isolate caches them for
// a few seconds, so a change is in force everywhere within SETTINGS_CACHE_MS (< 10 s) without
// a D1 read on every sign-in.
import type { Settings } from "../config";

export const SETTINGS_CACHE_MS = 5_000;
export const SETTING_NAMES = ["username_password_signin", "verification_signin", "signup"] as const;

let cached: { db: D1Database; overrides: Partial<Settings>; until: number } | undefined;

async function loadOverrides(db: D1Database): Promise<Partial<Settings>> {
  // From a read replica near the request: a switch changed by an admin is in force everywhere
  // once replicas have it (typically well under a second) plus the cache time.
  const { results } = await db
    .withSession("first-unconstrained")
    .prepare("SELECT key, value FROM settings")
    .all<{ key: string; value: string }>();
  const overrides: Partial<Settings> = {};
  for (const row of results) {
    if ((SETTING_NAMES as readonly string[]).includes(row.key)) {
      overrides[row.key as keyof Settings] = row.value === "true";
    }
  }
  return overrides;
}

export async function readSettings(db: D1Database, defaults: Settings, now = Date.now()): Promise<Settings> {
  if (!cached || cached.db !== db || cached.until <= now) {
    cached = { db, overrides: await loadOverrides(db), until: now + SETTINGS_CACHE_MS };
  }
  return { ...defaults, ...cached.overrides };
}

export async function writeSettings(db: D1Database, changes: Partial<Settings>): Promise<void> {
  const statements = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) =>
    db
      .prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind(key, String(value)),
  );
  if (statements.length) await db.batch(statements);
  cached = undefined; // this isolate sees its own change at once
}
