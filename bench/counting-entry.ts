// Bench-only Worker entry (never deployed): the product's handlers and Durable Object classes with
// every binding wrapped, so `npm run bench` can count (and, with a latency model, delay) each call
// a request makes to D1, Durable Objects and KV. The product itself carries no instrumentation.
//
// What is wrapped is found generically in env, so new bindings are covered without editing this
// file: every D1 database (`prepare` + `batch`), every Durable Object namespace (`idFromName`) and
// every KV namespace (`get` + `put` + `list` + `getWithMetadata`).
//
// The latency model is read from BENCH_LATENCY_MODEL (none | near | far, default none), so one
// bundle serves every model. With a model, each binding call WAITS before it runs:
//
//                                                        far      near
//   D1 primary: any statement or batch on the binding   100 ms   10 ms
//   D1 read replica: a read through withSession(...)     5 ms     5 ms
//   Durable Object call (RPC method or fetch on a stub)  10 ms    10 ms
//   ... to a service-wide object (SERVICE_WIDE_OBJECTS)  100 ms   10 ms  (as far as the primary)
//   KV read (get, getWithMetadata, list) / write          5 / 100 ms in both
//
// A statement run through a D1 session (`DB.withSession(...)`) counts as a replica read when its
// SQL is a SELECT (or WITH ... SELECT); anything else through a session, and a session batch with
// any such statement, goes to the primary. `withSession("first-primary")` sends its first call to
// the primary. A Durable Object's own `ctx.storage` is local to it and is neither counted nor
// delayed; its env is wrapped too (see durableObjectClass), so calls an object makes to another
// object or to D1 are counted and delayed like the Worker's own.
//
// Durable Object classes: ES modules cannot export names chosen at run time, so the bench generates
// a small entry (bench/lib/setup.mjs, writeCountingEntry) that re-exports `default` from here and,
// for every class_name bound in wrangler.toml, `export const X = durableObjectClass(product.X, "X",
// [bindings])`: a subclass whose constructor wraps the env the runtime hands the object. Classes
// src/index exports that no binding names are listed in the counters (unwrappedDurableObjectClasses).
//
// Counters live per isolate (the Worker and its Durable Objects share one in local workerd) and are
// read at /__bench/counters on this entry only: GET returns them, POST returns and resets them,
// `?settle=1` first waits until no wrapped call is in flight (work left running after the answer).
import { DurableObject } from "cloudflare:workers";
import * as product from "../src/index";

// ---- the model ---------------------------------------------------------------------------------
interface Delays {
  d1Primary: number;
  d1Replica: number;
  durableObject: number;
  kvRead: number;
  kvWrite: number;
}

const MODELS: Record<string, Delays> = {
  none: { d1Primary: 0, d1Replica: 0, durableObject: 0, kvRead: 0, kvWrite: 0 },
  near: { d1Primary: 10, d1Replica: 5, durableObject: 10, kvRead: 5, kvWrite: 100 },
  far: { d1Primary: 100, d1Replica: 5, durableObject: 10, kvRead: 5, kvWrite: 100 },
};

function modelOf(env: Record<string, unknown>): { name: string; delays: Delays } {
  const name = typeof env.BENCH_LATENCY_MODEL === "string" && env.BENCH_LATENCY_MODEL !== "" ? env.BENCH_LATENCY_MODEL : "none";
  const delays = MODELS[name];
  if (!delays) throw new Error(`BENCH_LATENCY_MODEL must be one of ${Object.keys(MODELS).join(", ")}, not ${name}`);
  return { name, delays };
}

// ---- counters ----------------------------------------------------------------------------------
type Kind =
  | "d1-primary-statement"
  | "d1-primary-batch"
  | "d1-replica-statement"
  | "d1-replica-batch"
  | "do"
  | "kv-read"
  | "kv-write";

/** One wrapped binding call. */
interface CallEvent {
  /** "before": started while a request to this entry had not been answered yet; "after": otherwise. */
  phase: "before" | "after";
  kind: Kind;
  /** Binding name, then the SQL (start of it), or `Namespace.method`, or the KV method. */
  label: string;
  /** Statements carried by a batch. */
  statements?: number;
  /** The modelled wait before the call ran. */
  delayMs: number;
  /** Wall time of the whole call, the modelled wait included; -1 while it runs. */
  ms: number;
}

const MAX_EVENTS = 100_000;
let events: CallEvent[] = [];
let dropped = 0;
let inFlight = 0;
let lastActivity = 0;
/** Requests to this entry that have not been answered yet. */
let openRequests = 0;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records the call, waits the modelled delay, then runs it. Date.now() advances across I/O in Workers. */
async function call<T>(kind: Kind, label: string, delayMs: number, run: () => Promise<T>, statements?: number): Promise<T> {
  const event: CallEvent = { phase: openRequests > 0 ? "before" : "after", kind, label, delayMs, ms: -1 };
  if (statements !== undefined) event.statements = statements;
  if (events.length < MAX_EVENTS) events.push(event);
  else dropped += 1;
  inFlight += 1;
  const started = Date.now();
  try {
    if (delayMs > 0) await sleep(delayMs);
    return await run();
  } finally {
    event.ms = Date.now() - started;
    inFlight -= 1;
    lastActivity = Date.now();
  }
}

// ---- D1 ----------------------------------------------------------------------------------------
const sqlLabel = (sql: string) => sql.replace(/\s+/g, " ").trim().slice(0, 60);

/** A read a replica may serve: SELECT, or WITH ... SELECT with no write in it. */
export function isReadSql(sql: string): boolean {
  const text = sql
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/--[^\n]*/g, " ")
    .trim()
    .replace(/^\(+\s*/, "")
    .toUpperCase();
  if (/^SELECT\b/.test(text)) return true;
  if (/^WITH\b/.test(text)) return !/\b(INSERT|UPDATE|DELETE|REPLACE|UPSERT)\b/.test(text) && /\bSELECT\b/.test(text);
  return false;
}

/** Where a statement runs: on the binding itself (always the primary) or through a session. */
interface Route {
  /** The D1 binding's name. */
  binding: string;
  delays: Delays;
  /** undefined: the binding itself (always the primary). Otherwise the session's state. */
  session?: { firstToPrimary: boolean };
}

/** Counts which goes where and consumes a "first-primary" session's first call. */
function toReplica(route: Route, allReads: boolean): boolean {
  if (!route.session) return false;
  const firstToPrimary = route.session.firstToPrimary;
  route.session.firstToPrimary = false;
  return allReads && !firstToPrimary;
}

/** The SQL of each statement prepared through a wrapper, for classifying batches. */
const statementSql = new WeakMap<object, string>();

function wrapStatement(statement: D1PreparedStatement, sql: string, route: Route): D1PreparedStatement {
  // Patched on the instance, so the statement stays a real D1PreparedStatement for batch().
  statementSql.set(statement, sql);
  const s = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
  const label = `${route.binding}: ${sqlLabel(sql)}`;
  const read = isReadSql(sql);
  for (const method of ["first", "all", "run", "raw"]) {
    const original = s[method];
    if (typeof original !== "function") continue;
    s[method] = (...args: unknown[]) => {
      const replica = toReplica(route, read);
      return call(
        replica ? "d1-replica-statement" : "d1-primary-statement",
        route.session ? `${label} (session)` : label,
        replica ? route.delays.d1Replica : route.delays.d1Primary,
        () => original.apply(statement, args) as Promise<unknown>,
      );
    };
  }
  const bind = s.bind;
  if (typeof bind === "function") {
    s.bind = (...args: unknown[]) => wrapStatement(bind.apply(statement, args) as D1PreparedStatement, sql, route);
  }
  return statement;
}

function wrapPrepare(prepare: (sql: string) => D1PreparedStatement, route: Route) {
  return (sql: string) => wrapStatement(prepare(sql), sql, route);
}

function wrapBatch(batch: (statements: D1PreparedStatement[]) => Promise<unknown>, route: Route) {
  return (statements: D1PreparedStatement[]) => {
    const sqls = statements.map((statement) => statementSql.get(statement) ?? "?");
    const replica = toReplica(route, sqls.every(isReadSql));
    const label = `${route.binding}: batch [${sqls.map((sql) => sqlLabel(sql).slice(0, 24)).join(" | ")}]${route.session ? " (session)" : ""}`;
    return call(
      replica ? "d1-replica-batch" : "d1-primary-batch",
      label,
      replica ? route.delays.d1Replica : route.delays.d1Primary,
      () => batch(statements),
      statements.length,
    );
  };
}

function wrapSession(session: D1DatabaseSession, route: Route): D1DatabaseSession {
  const prepare = wrapPrepare((sql) => session.prepare(sql), route);
  const batch = wrapBatch((statements) => session.batch(statements), route);
  return new Proxy(session, {
    get(target, prop) {
      if (prop === "prepare") return prepare;
      if (prop === "batch") return batch;
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value; // getBookmark: local
    },
  });
}

function wrapD1(db: D1Database, binding: string, delays: Delays): D1Database {
  const route: Route = { binding, delays };
  const prepare = wrapPrepare((sql) => db.prepare(sql), route);
  const batch = wrapBatch((statements) => db.batch(statements), route);
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return prepare;
      if (prop === "batch") return batch;
      if (prop === "exec") {
        return (sql: string) => call("d1-primary-statement", `${binding}: exec ${sqlLabel(sql)}`, delays.d1Primary, () => target.exec(sql));
      }
      if (prop === "withSession") {
        return (constraintOrBookmark?: string) =>
          wrapSession(target.withSession(constraintOrBookmark as never), {
            binding,
            delays,
            session: { firstToPrimary: constraintOrBookmark === "first-primary" },
          });
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// ---- Durable Objects ---------------------------------------------------------------------------
/** Binding name -> class name, from the generated entry (labels read `Class.method`). */
const classOfBinding: Record<string, string> = {};

function wrapStub<T extends object>(stub: T, name: string, delays: Delays): T {
  return new Proxy(stub, {
    get(target, method) {
      const value = Reflect.get(target, method);
      if (typeof method !== "string" || method === "then" || typeof value !== "function") return value;
      return (...args: unknown[]) =>
        call("do", `${name}.${method}`, delays.durableObject, () => Reflect.apply(value, target, args) as Promise<unknown>);
    },
  });
}

/**
 * Objects the whole service shares (one per name, not per user, contact or IP): deployed, each sits
 * in one place, as far from most users as the D1 primary, so their calls get the primary's delay.
 */
const SERVICE_WIDE_OBJECTS = [/^channel-sends:/];
const objectNames = new WeakMap<object, string>();

function wrapNamespace(namespace: DurableObjectNamespace, binding: string, delays: Delays): DurableObjectNamespace {
  const name = classOfBinding[binding] ?? binding;
  const serviceWide = { ...delays, durableObject: delays.d1Primary };
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      if (prop === "idFromName") {
        return (...args: unknown[]) => {
          const id = Reflect.apply(value, target, args) as object;
          objectNames.set(id, String(args[0]));
          return id;
        };
      }
      // get(id), getByName(name): a stub whose every call is counted. jurisdiction(): a namespace.
      if (prop === "get" || prop === "getByName") {
        return (...args: unknown[]) => {
          const objectName = typeof args[0] === "string" ? args[0] : objectNames.get(args[0] as object);
          const shared = objectName !== undefined && SERVICE_WIDE_OBJECTS.some((pattern) => pattern.test(objectName));
          const stub = Reflect.apply(value, target, args) as object;
          return shared ? wrapStub(stub, `${name}(service-wide)`, serviceWide) : wrapStub(stub, name, delays);
        };
      }
      if (prop === "jurisdiction") {
        return (...args: unknown[]) => wrapNamespace(Reflect.apply(value, target, args) as DurableObjectNamespace, binding, delays);
      }
      return value.bind(target); // idFromName, idFromString, newUniqueId: local
    },
  });
}

// ---- KV ----------------------------------------------------------------------------------------
const KV_READS = new Set(["get", "getWithMetadata", "list"]);
const KV_WRITES = new Set(["put", "delete"]);

function wrapKv(kv: KVNamespace, binding: string, delays: Delays): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      if (KV_READS.has(prop) || KV_WRITES.has(prop)) {
        const write = KV_WRITES.has(prop);
        return (...args: unknown[]) =>
          call(write ? "kv-write" : "kv-read", `${binding}.${prop}`, write ? delays.kvWrite : delays.kvRead, () =>
            Reflect.apply(value, target, args) as Promise<unknown>,
          );
      }
      return value.bind(target);
    },
  });
}

// ---- env ---------------------------------------------------------------------------------------
const has = (value: unknown, ...methods: string[]) =>
  typeof value === "object" && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === "function");

// The same wrapped env object for the same env, as the runtime hands the product one env object
// (config and services are cached per env object).
const wrapped = new WeakMap<object, Record<string, unknown>>();

export function wrapEnv<E extends object>(env: E): E {
  let result = wrapped.get(env);
  if (!result) {
    const { delays } = modelOf(env as Record<string, unknown>);
    result = {};
    for (const [name, value] of Object.entries(env)) {
      if (has(value, "idFromName")) result[name] = wrapNamespace(value as DurableObjectNamespace, name, delays);
      else if (has(value, "prepare", "batch")) result[name] = wrapD1(value as D1Database, name, delays);
      else if (has(value, "get", "put", "list", "getWithMetadata")) result[name] = wrapKv(value as KVNamespace, name, delays);
      else result[name] = value;
    }
    wrapped.set(env, result);
  }
  return result as E;
}

// ---- Durable Object classes --------------------------------------------------------------------
type DurableObjectClass = new (ctx: DurableObjectState, env: never) => DurableObject;
const wrappedClasses = new Set<string>();

/**
 * A subclass of the product's Durable Object class `name` whose env bindings are wrapped. The
 * generated entry exports it under the same name, so wrangler.toml's class_name still matches.
 */
export function durableObjectClass(base: unknown, name: string, bindings: string[] = []): DurableObjectClass {
  if (typeof base !== "function") {
    throw new Error(`src/index exports no Durable Object class named ${name} (wrangler.toml binds one)`);
  }
  for (const binding of bindings) classOfBinding[binding] = name;
  wrappedClasses.add(name);
  const Base = base as unknown as new (ctx: DurableObjectState, env: object) => DurableObject;
  const Wrapped = class extends Base {
    constructor(ctx: DurableObjectState, env: object) {
      super(ctx, wrapEnv(env));
    }
  };
  Object.defineProperty(Wrapped, "name", { value: name });
  return Wrapped as unknown as DurableObjectClass;
}

/** Durable Object classes src/index exports that the generated entry did not wrap (none bound, or a miss). */
function unwrappedClasses(): string[] {
  return Object.entries(product)
    .filter(([name, value]) => name !== "default" && typeof value === "function" && value.prototype instanceof DurableObject)
    .map(([name]) => name)
    .filter((name) => !wrappedClasses.has(name));
}

// ---- the entry ---------------------------------------------------------------------------------
async function settle(): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (inFlight === 0 && Date.now() - lastActivity >= 25) return;
    await sleep(5);
  }
}

async function counters(request: Request, env: Record<string, unknown>): Promise<Response> {
  const url = new URL(request.url);
  if (url.searchParams.has("settle")) await settle();
  const snapshot = {
    model: modelOf(env),
    events,
    dropped,
    inFlight,
    unwrappedDurableObjectClasses: unwrappedClasses(),
  };
  if (request.method === "POST") {
    events = [];
    dropped = 0;
  }
  return Response.json(snapshot);
}

const handler = product.default as unknown as Record<string, unknown>;
const entry: Record<string, unknown> = {};
// Every handler the product exports (fetch, scheduled, ...) with the env wrapped.
for (const [name, value] of Object.entries(handler)) {
  if (typeof value !== "function") continue;
  entry[name] = (event: unknown, env: Record<string, unknown>, ctx: ExecutionContext) => value.call(handler, event, wrapEnv(env), ctx);
}
const productFetch = handler.fetch as (request: Request, env: unknown, ctx: ExecutionContext) => Response | Promise<Response>;
entry.fetch = async (request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> => {
  if (new URL(request.url).pathname === "/__bench/counters") return counters(request, env);
  openRequests += 1;
  try {
    return await productFetch.call(handler, request, wrapEnv(env), ctx);
  } finally {
    openRequests -= 1;
  }
};

export default entry as ExportedHandler;
