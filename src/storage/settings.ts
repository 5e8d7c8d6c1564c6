// Admin switches (docs/protocol.md §4) in D1, over defaults from variables. Each isolate caches them for
// a few seconds, so a change is in force everywhere within SETTINGS_CACHE_MS (< 10 s) without
// a D1 read on every sign-in.
import { SWITCH_NAMES, type SwitchName } from "../auth/switch-table";
import type { Settings } from "../config";

export const SETTINGS_CACHE_MS = 5_000;
const SETTING_NAMES: readonly string[] = SWITCH_NAMES;
/** Per-provider switches are stored one row each, as `provider_signin.<provider id>`. */
const PROVIDER_PREFIX = "provider_signin.";

/** What D1 holds over the defaults; per-provider switches merge into the defaults' map. */
export type SettingsChanges = Partial<Omit<Settings, "provider_signin">> & { provider_signin?: Record<string, boolean> };

let cached: { db: D1Database; overrides: SettingsChanges; until: number } | undefined;

async function loadOverrides(reader: Pick<D1Database, "prepare">): Promise<SettingsChanges> {
  const { results } = await reader.prepare("SELECT key, value FROM settings").all<{ key: string; value: string }>();
  const overrides: SettingsChanges = {};
  for (const row of results) {
    if (SETTING_NAMES.includes(row.key)) {
      overrides[row.key as SwitchName] = row.value === "true";
    } else if (row.key.startsWith(PROVIDER_PREFIX)) {
      (overrides.provider_signin ??= {})[row.key.slice(PROVIDER_PREFIX.length)] = row.value === "true";
    }
  }
  return overrides;
}

/** The defaults with D1's overrides; a switch of a provider no longer configured is dropped. */
function merged(defaults: Settings, overrides: SettingsChanges): Settings {
  const providerSignin = { ...defaults.provider_signin };
  for (const [id, on] of Object.entries(overrides.provider_signin ?? {})) {
    if (id in providerSignin) providerSignin[id] = on;
  }
  return { ...defaults, ...overrides, provider_signin: providerSignin };
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
    return merged(defaults, cached.overrides);
  }

  /** Stores the changes and returns the switches as the primary now has them (read-your-writes). */
  async write(changes: SettingsChanges, defaults: Settings, now = Date.now()): Promise<Settings> {
    const { provider_signin: providerSignin, ...flat } = changes;
    const rows = [
      ...Object.entries(flat),
      ...Object.entries(providerSignin ?? {}).map(([id, on]) => [`${PROVIDER_PREFIX}${id}`, on] as const),
    ];
    const statements = rows
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) =>
        this.db
          .prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .bind(key, String(value)),
      );
    if (statements.length) await this.db.batch(statements);
    // This isolate sees its own change at once.
    cached = { db: this.db, overrides: await loadOverrides(this.db), until: now + SETTINGS_CACHE_MS };
    return merged(defaults, cached.overrides);
  }
}
