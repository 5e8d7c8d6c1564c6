// A test double of the D1 read-replica path only: reads through `withSession()` are answered as a
// replica that stopped catching up at `freeze()` would answer them (what it had seen by then, and
// nothing newer). Writes and primary reads go to the real D1. Everything else stays real.
import { env } from "cloudflare:workers";

type Row = Record<string, unknown> | null;

export function laggingReplica() {
  const db = env.DB;
  const seen = new Map<string, { first: Row; all: Row[] }>();
  let frozen = false;
  const keyOf = (sql: string, binds: unknown[]) => `${sql}\u0000${JSON.stringify(binds)}`;

  const statement = (sql: string, binds: unknown[] = []) => ({
    bind: (...values: unknown[]) => statement(sql, values),
    async first<T>(): Promise<T | null> {
      const key = keyOf(sql, binds);
      if (frozen) return (seen.get(key)?.first ?? null) as T | null;
      const row = await db.prepare(sql).bind(...binds).first<Record<string, unknown>>();
      seen.set(key, { first: row, all: row ? [row] : [] });
      return row as T | null;
    },
    async all<T>(): Promise<{ results: T[] }> {
      const key = keyOf(sql, binds);
      if (frozen) return { results: (seen.get(key)?.all ?? []) as T[] };
      const { results } = await db.prepare(sql).bind(...binds).all<Record<string, unknown>>();
      seen.set(key, { first: results[0] ?? null, all: results });
      return { results: results as T[] };
    },
  });

  const session = { prepare: (sql: string) => statement(sql), batch: db.batch.bind(db), getBookmark: () => null };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === "withSession") return () => session;
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { DB: proxy, freeze: () => void (frozen = true) };
}
