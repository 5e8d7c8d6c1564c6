// Bench-only Worker entry (never deployed): the product app with its bindings wrapped in counters,
// so `npm run bench` can report how many D1 statements and batches and how many Durable Object
// calls each request makes. The product itself carries no instrumentation. Counters live per
// isolate and are read and reset through GET/POST /__bench/counters on this entry only.
import app from "../src/index";
import type { Env } from "../src/env";

export { AccountGuard, CaptchaChallenge, ContactVerifier, RateWindow } from "../src/index";

interface Counters {
  /** Statements run on their own (first/all/run/raw), by the start of their SQL. */
  d1Statements: Record<string, number>;
  /** db.batch() calls, and the statements they carried. */
  d1Batches: number;
  d1BatchStatements: number;
  /** Durable Object RPC calls, by "Namespace.method". */
  durableObjectCalls: Record<string, number>;
  /** Wall-clock milliseconds spent waiting on each kind of call (meaningful for sequential requests). */
  waitMs: Record<string, number>;
}

const fresh = (): Counters => ({ d1Statements: {}, d1Batches: 0, d1BatchStatements: 0, durableObjectCalls: {}, waitMs: {} });
let counters = fresh();

const bump = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

/** Adds the wall time of `promise` to waitMs[kind]. Date.now() advances across I/O in Workers. */
function timed<T>(kind: string, promise: Promise<T>): Promise<T> {
  const started = Date.now();
  const add = () => {
    counters.waitMs[kind] = (counters.waitMs[kind] ?? 0) + (Date.now() - started);
  };
  promise.then(add, add);
  return promise;
}

const sqlLabel = (sql: string) => sql.replace(/\s+/g, " ").trim().slice(0, 48);

function countStatement(statement: D1PreparedStatement, sql: string): D1PreparedStatement {
  const s = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ["first", "all", "run", "raw"]) {
    const original = s[method]!.bind(statement);
    s[method] = (...args: unknown[]) => {
      bump(counters.d1Statements, sqlLabel(sql));
      return timed("d1", original(...args) as Promise<unknown>);
    };
  }
  const bind = s.bind!.bind(statement);
  s.bind = (...args: unknown[]) => countStatement(bind(...args) as D1PreparedStatement, sql);
  return statement;
}

function countingDb(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => countStatement(target.prepare(sql), sql);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          counters.d1Batches += 1;
          counters.d1BatchStatements += statements.length;
          return timed("d1", target.batch(statements));
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function countingNamespace<T extends DurableObjectNamespace<never>>(namespace: T, name: string): T {
  return new Proxy(namespace, {
    get(target, prop) {
      if (prop === "get") {
        return (id: DurableObjectId) => {
          const stub = target.get(id) as unknown as Record<string, unknown>;
          return new Proxy(stub, {
            get(stubTarget, method) {
              const value = Reflect.get(stubTarget, method);
              if (typeof method !== "string" || method === "then" || typeof value !== "function") return value;
              return (...args: unknown[]) => {
                bump(counters.durableObjectCalls, `${name}.${method}`);
                return timed(`${name}.${method}`, (stubTarget[method] as (...a: unknown[]) => Promise<unknown>)(...args));
              };
            },
          });
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// The same wrapped env object for every request, as the runtime hands the product one env object
// (config and services are cached per env object).
const wrapped = new WeakMap<object, Env>();

function wrap(env: Env): Env {
  let result = wrapped.get(env);
  if (!result) {
    result = {
      ...env,
      DB: countingDb(env.DB),
      ACCOUNT_GUARD: countingNamespace(env.ACCOUNT_GUARD, "AccountGuard"),
      RATE_WINDOWS: countingNamespace(env.RATE_WINDOWS, "RateWindow"),
      CONTACTS: countingNamespace(env.CONTACTS, "ContactVerifier"),
    };
    wrapped.set(env, result);
  }
  return result;
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    if (new URL(request.url).pathname === "/__bench/counters") {
      const snapshot = counters;
      if (request.method === "POST") counters = fresh();
      return Response.json(snapshot);
    }
    return app.fetch(request, wrap(env), ctx);
  },
};
