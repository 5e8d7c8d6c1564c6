// Admin switches (contract §4) in D1, over defaults from variables. Each isolate caches them for
// a few seconds, so a change is in force everywhere within SETTINGS_CACHE_MS (< 10 s) without
// a D1 read on every sign-in.
import type { Settings } from "../config";

export const SETTINGS_CACHE_MS = 5_000;
export const SETTING_NAMES = ["username_password_signin", "verification_signin", "signup", "anonymous_signin"] as const;

let cached: { db: D1Database; overrides: Partial<Settings>; until: number } | undefined;

async function loadOverrides(reader: Pick<D1Database, "prepare">): Promise<Partial<Settings>> {
  const { results } = await reader.prepare("SELECT key, value FROM settings").all<{ key: string; value: string }>();
  const overrides: Partial<Settings> = {};
  for (const row of results) {
    if ((SETTING_NAMES as readonly string[]).includes(row.key)) {
      overrides[row.key as keyof Settings] = row.value === "true";
    }
  }
  return overrides;
}

export class SettingsStore {
  constructor(private readonly db: D1Database) {}

  /**
   * The switches in force. Read from a replica near the request: a switch changed by an admin is
   * in force everywhere once replicas have it (typically well under a second) plus the cache time.
   */
  async read(defaults: Settings, now = Date.now()): Promise<Settings> {
    if (!cached || cached.db !== this.db || cached.until <= now) {
      const overrides = await loadOverrides(this.db.withSession("first-unconstrained"));
      cached = { db: this.db, overrides, until: now + SETTINGS_CACHE_MS };
    }
    return { ...defaults, ...cached.overrides };
  }

  /** Stores the changes and returns the switches as the primary now has them (read-your-writes). */
  async write(changes: Partial<Settings>, defaults: Settings, now = Date.now()): Promise<Settings> {
    const statements = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) =>
        this.db
          .prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .bind(key, String(value)),
      );
    if (statements.length) await this.db.batch(statements);
    // This isolate sees its own change at once.
    cached = { db: this.db, overrides: await loadOverrides(this.db), until: now + SETTINGS_CACHE_MS };
    return { ...defaults, ...cached.overrides };
  }
}
