#!/usr/bin/env node
// `npm run bench [-- --duration 5 --rounds 1 --json results.json]`
//
// Proves (or disproves) that a password sign-in costs the PBKDF2 hash and little else. Starts the
// Worker in workerd with `wrangler dev` on a free 127.0.0.1 port with a throwaway persistence
// directory and generated secrets, seeds users straight into its local D1, mints verification
// tokens and refresh tokens through the real API, then drives each scenario with autocannon at
// concurrency 1 and 8 and prints requests/s and p50/p99 latency, the derived ratios, the D1 and
// Durable Object calls per request (counted by a bench-only entry that wraps the bindings) and the
// gzipped size of the deployable bundle. See docs/benchmarks.md.
//
// `npm run bench -- --model far|near|none [--samples 20] [--json FILE]` is the latency model instead
// (bench/lib/model.mjs): binding calls wait as when deployed, flows run one request at a time.
import { gzipSync } from "node:zlib";
import { cpus } from "node:os";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure } from "./lib/load.mjs";
import { buildBundle as buildBundleIn, root, runWrangler, startDev } from "./lib/server.mjs";
import {
  BENCH_PASSWORD,
  benchVars,
  chainUser,
  codeEmail,
  codeFor,
  passwordUser,
  wrongPasswordUser,
  writeConfig,
  writeCountingEntry,
  writePbkdf2Config,
  writeSeed,
} from "./lib/setup.mjs";
import { pool, runLatencyModel } from "./lib/model.mjs";

// ---- arguments ---------------------------------------------------------------------------------
function parseArgs(argv) {
  const options = { duration: 5, rounds: 1, json: undefined, connections: [1, 8], keep: false, model: undefined, samples: 20, hashRounds: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--duration") options.duration = Number(value());
    else if (flag === "--rounds") options.rounds = Number(value());
    else if (flag === "--json") options.json = resolve(process.env.INIT_CWD ?? process.cwd(), value());
    else if (flag === "--keep") options.keep = true;
    else if (flag === "--model") options.model = value();
    else if (flag === "--samples") options.samples = Number(value());
    else if (flag === "--hash-rounds") options.hashRounds = Number(value());
    else if (flag === "--help" || flag === "-h") {
      console.log(
        [
          "usage: npm run bench -- [--duration SECONDS (1-30, default 5)] [--rounds N (1-5, default 1)] [--json FILE] [--keep]",
          "       npm run bench -- --model far|near|none [--samples N (5-100, default 20)] [--hash-rounds N (1-10, default 1)] [--json FILE] [--keep]",
          "",
          "Without --model: throughput (autocannon at concurrency 1 and 8) and a counting pass.",
          "With --model: the latency model of docs/benchmarks.md (binding calls wait as when deployed),",
          "N sequential requests per flow, p50/mean and the calls per request; no throughput part.",
          "--hash-rounds sets PASSWORD_HASH_ROUNDS for that run (the users are made with it).",
        ].join("\n"),
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]} (try --help)`);
  }
  if (!(options.duration >= 1 && options.duration <= 30)) throw new Error("--duration must be 1..30 seconds");
  if (!(Number.isInteger(options.rounds) && options.rounds >= 1 && options.rounds <= 5)) throw new Error("--rounds must be 1..5");
  if (options.model !== undefined && !["far", "near", "none"].includes(options.model)) throw new Error("--model must be far, near or none");
  if (!(Number.isInteger(options.samples) && options.samples >= 5 && options.samples <= 100)) throw new Error("--samples must be 5..100");
  if (!(Number.isInteger(options.hashRounds) && options.hashRounds >= 1 && options.hashRounds <= 10)) throw new Error("--hash-rounds must be 1..10");
  if (options.hashRounds !== 1 && options.model === undefined) throw new Error("--hash-rounds goes with --model");
  return options;
}

const options = parseArgs(process.argv.slice(2));
if (options.model !== undefined) {
  // The latency model is its own run (bench/lib/model.mjs): no throughput part, no bundle size.
  process.exitCode = await runLatencyModel(options);
  process.exit();
}
const log = (message) => console.error(`[bench] ${message}`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

// How many one-time credentials each round may use. Password sign-ins cannot beat the PBKDF2
// ceiling (~80/s per isolate here); code sign-ins are cheaper, and minting their tokens through the
// real API (send + verify) is slow (~30/s here), so their pool is the smaller one: a run that
// empties it stops early, and its rate is computed over the time it ran.
const PASSWORD_USERS = Math.ceil(220 * options.duration);
const CODE_USERS = Math.ceil(90 * options.duration);
const CHAIN_USERS = 3 * (1 + 8);
const COUNT_SAMPLES = 10;

const home = mkdtempSync(join(tmpdir(), "edge-signin-bench-"));
const persistTo = join(home, "state");
const productDir = join(home, "product");
const countingDir = join(home, "counting");
const vars = benchVars({ rounds: options.rounds + 1, codeUsers: Math.max(CODE_USERS, COUNT_SAMPLES) });
const productConfig = writeConfig(productDir, join(root, "src", "index.ts"), vars);
const countingConfig = writeConfig(countingDir, writeCountingEntry(countingDir), vars);
const pbkdf2Config = writePbkdf2Config(join(home, "pbkdf2"));
const servers = [];

async function cleanup() {
  await Promise.all(servers.map((server) => server.stop()));
  servers.length = 0;
  if (!options.keep) rmSync(home, { recursive: true, force: true });
}

// ---- HTTP helpers for setup (plain fetch, not measured) ----------------------------------------
async function post(url, path, body, headers = {}) {
  const response = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}


async function signIn(url, username) {
  const { status, json } = await post(url, "/auth/v1/signin", { username, password: BENCH_PASSWORD });
  if (status !== 200) throw new Error(`seed sign-in of ${username} answered ${status} ${json?.error}`);
  return json;
}

/** Verification tokens through the real API: send a code (TEST_OTP knows it), verify it. */
async function mintCodeTokens(url, round, count) {
  return pool(count, 8, async (i) => {
    const sent = await post(url, "/auth/v1/verification", { email: codeEmail(round, i) });
    if (sent.status !== 200) throw new Error(`sending a code answered ${sent.status} ${sent.json?.error}`);
    const verified = await post(url, "/auth/v1/verification/verify", {
      verification_id: sent.json.verification_id,
      verification_code: codeFor(round, i),
    });
    if (verified.status !== 200) throw new Error(`verifying a code answered ${verified.status} ${verified.json?.error}`);
    return verified.json.verification_token;
  });
}

// ---- scenarios ---------------------------------------------------------------------------------
const SCENARIOS = [
  { id: "pbkdf2", label: "raw PBKDF2-SHA256 (bench worker)" },
  { id: "signin", label: "password sign-in, known user" },
  { id: "wrong", label: "password sign-in, wrong password" },
  { id: "unknown", label: "password sign-in, unknown user" },
  { id: "code", label: "verification-code sign-in" },
  { id: "refresh", label: "refresh-token rotation" },
  { id: "me", label: "GET /auth/v1/user/me" },
  { id: "jwks", label: "GET /.well-known/jwks.json" },
];

function scenarioRunner(id, ctx) {
  const { product, pbkdf2, round, duration, connections, state } = ctx;
  const runId = started.toString(36);
  switch (id) {
    case "pbkdf2":
      return measure({ url: pbkdf2.url, path: "/", connections, duration, expectStatus: 204 });
    case "signin":
      return measure({
        url: product.url,
        path: "/auth/v1/signin",
        method: "POST",
        connections,
        duration,
        maxRequests: PASSWORD_USERS - state.nextPasswordUser,
        next: () => ({ body: { username: passwordUser(round, state.nextPasswordUser++), password: BENCH_PASSWORD } }),
        expectStatus: 200,
      });
    case "wrong":
      return measure({
        url: product.url,
        path: "/auth/v1/signin",
        method: "POST",
        connections,
        duration,
        maxRequests: PASSWORD_USERS - state.nextWrongUser,
        // One wrong guess per existing user: far below the captcha threshold.
        next: () => ({ body: { username: wrongPasswordUser(round, state.nextWrongUser++), password: "not-the-password" } }),
        expectStatus: 400,
      });
    case "unknown":
      return measure({
        url: product.url,
        path: "/auth/v1/signin",
        method: "POST",
        connections,
        duration,
        // A fresh unknown username per request: no account key ever reaches the captcha threshold.
        next: () => ({ body: { username: `nobody-${runId}-${round}-${state.nextUnknown++}`, password: BENCH_PASSWORD } }),
        expectStatus: 400,
      });
    case "code": {
      const runsLeft = options.connections.length - options.connections.indexOf(connections);
      return measure({
        url: product.url,
        path: "/auth/v1/signin",
        method: "POST",
        connections,
        duration,
        maxRequests: Math.floor(state.codeTokens.length / runsLeft),
        next: () => ({ body: { verification_token: state.codeTokens.pop() ?? "exhausted" } }),
        expectStatus: 200,
      });
    }
    case "refresh": {
      // Live refresh tokens; each response hands back the successor, which goes back in the pool.
      const live = state.refreshTokens.splice(0, 3 * connections);
      return measure({
        url: product.url,
        path: "/auth/v1/token",
        method: "POST",
        connections,
        duration,
        next: () => ({ body: { grant_type: "refresh_token", refresh_token: live.shift() ?? "exhausted-pool-of-live-tokens" } }),
        onResponse: (status, body) => {
          if (status === 200) live.push(JSON.parse(body).refresh_token);
        },
        expectStatus: 200,
      });
    }
    case "me":
      return measure({
        url: product.url,
        path: "/auth/v1/user/me",
        connections,
        duration,
        headers: { authorization: `Bearer ${state.accessToken}` },
        expectStatus: 200,
      });
    case "jwks":
      return measure({ url: product.url, path: "/.well-known/jwks.json", connections, duration, expectStatus: 200 });
  }
  throw new Error(id);
}

// ---- counting pass -----------------------------------------------------------------------------
async function countCalls(url) {
  const round = options.rounds; // the extra round of users reserved for counting
  const counters = async (reset) => (await fetch(`${url}/__bench/counters`, { method: reset ? "POST" : "GET" })).json();
  const codeTokens = await mintCodeTokens(url, round, COUNT_SAMPLES);
  const chain = (await signIn(url, chainUser(round, 0)));
  let refreshToken = chain.refresh_token;
  // One request first so the per-isolate caches (settings for 5 s, config, keys) are warm.
  await post(url, "/auth/v1/signin", { username: `nobody-warm-${started}`, password: BENCH_PASSWORD });
  const plan = {
    signin: (i) => post(url, "/auth/v1/signin", { username: passwordUser(round, i), password: BENCH_PASSWORD }),
    wrong: (i) => post(url, "/auth/v1/signin", { username: wrongPasswordUser(round, i), password: "not-the-password" }),
    unknown: (i) => post(url, "/auth/v1/signin", { username: `nobody-count-${started}-${i}`, password: BENCH_PASSWORD }),
    code: (i) => post(url, "/auth/v1/signin", { verification_token: codeTokens[i] }),
    refresh: async () => {
      const answer = await post(url, "/auth/v1/token", { grant_type: "refresh_token", refresh_token: refreshToken });
      refreshToken = answer.json?.refresh_token;
      return answer;
    },
    me: async () => {
      const response = await fetch(`${url}/auth/v1/user/me`, { headers: { authorization: `Bearer ${chain.access_token}` } });
      await response.arrayBuffer();
      return { status: response.status };
    },
    jwks: async () => {
      const response = await fetch(`${url}/.well-known/jwks.json`);
      await response.arrayBuffer();
      return { status: response.status };
    },
  };
  const perRequest = {};
  for (const [id, call] of Object.entries(plan)) {
    await counters(true);
    const statuses = {};
    const callStarted = performance.now();
    for (let i = 0; i < COUNT_SAMPLES; i++) {
      const { status } = await call(i);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    const clientMs = (performance.now() - callStarted) / COUNT_SAMPLES;
    const { events } = await counters(true);
    // The counting entry reports every binding call (bench/counting-entry.ts); this pass sums them
    // as it always has: statements (primary or replica), batches, Durable Object calls, waits.
    const d1Statements = {};
    const durableObjectCalls = {};
    const waitMs = {};
    let d1Batches = 0;
    let d1BatchStatements = 0;
    for (const e of events) {
      const kind = e.kind.startsWith("d1") ? "d1" : e.kind === "do" ? e.label : e.kind;
      waitMs[kind] = (waitMs[kind] ?? 0) + Math.max(0, e.ms);
      if (e.kind === "d1-primary-statement" || e.kind === "d1-replica-statement") d1Statements[e.label] = (d1Statements[e.label] ?? 0) + 1;
      else if (e.kind === "d1-primary-batch" || e.kind === "d1-replica-batch") {
        d1Batches += 1;
        d1BatchStatements += e.statements ?? 0;
      } else if (e.kind === "do") durableObjectCalls[e.label] = (durableObjectCalls[e.label] ?? 0) + 1;
    }
    const sum = (record) => Object.values(record).reduce((a, b) => a + b, 0);
    perRequest[id] = {
      samples: COUNT_SAMPLES,
      statuses,
      d1Statements: sum(d1Statements) / COUNT_SAMPLES,
      d1Batches: d1Batches / COUNT_SAMPLES,
      d1BatchStatements: d1BatchStatements / COUNT_SAMPLES,
      durableObjectCalls: sum(durableObjectCalls) / COUNT_SAMPLES,
      clientMs: Number(clientMs.toFixed(1)),
      waitMs: Object.fromEntries(Object.entries(waitMs).map(([k, v]) => [k, Number((v / COUNT_SAMPLES).toFixed(1))])),
      detail: {
        d1Statements: Object.fromEntries(Object.entries(d1Statements).map(([k, v]) => [k, v / COUNT_SAMPLES])),
        durableObjectCalls: Object.fromEntries(Object.entries(durableObjectCalls).map(([k, v]) => [k, v / COUNT_SAMPLES])),
      },
    };
  }
  return perRequest;
}

// ---- bundle ------------------------------------------------------------------------------------
/** `wrangler deploy --dry-run` into `outdir`: the exact code that would be uploaded. */
const buildBundle = (config, outdir) => buildBundleIn(config, outdir, home);

async function bundleSize() {
  const outdir = join(home, "dist");
  await buildBundle(productConfig, outdir);
  let raw = 0;
  let gzipped = 0;
  const files = [];
  for (const name of readdirSync(outdir, { recursive: true })) {
    if (!/\.(m?js|wasm)$/.test(name)) continue; // source maps and the README are not deployed code
    const bytes = readFileSync(join(outdir, name));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
    files.push(name);
  }
  return { files, bytes: raw, gzipBytes: gzipped, gzipKiB: Number((gzipped / 1024).toFixed(1)) };
}

// ---- reporting ---------------------------------------------------------------------------------
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function summarise(runs) {
  // Median over rounds of each figure, per scenario and concurrency.
  const summary = {};
  for (const { id } of SCENARIOS) {
    summary[id] = {};
    for (const c of options.connections) {
      const these = runs.filter((r) => r.scenario === id && r.connections === c);
      if (these.length === 0) continue;
      summary[id][c] = {
        requestsPerSecond: median(these.map((r) => r.requestsPerSecond)),
        p50Ms: median(these.map((r) => r.p50Ms)),
        p99Ms: median(these.map((r) => r.p99Ms)),
        unexpected: these.reduce((a, r) => a + r.unexpected + r.errors, 0),
        responses: these.reduce((a, r) => a + r.responses, 0),
      };
    }
  }
  return summary;
}

const pad = (value, width, right = false) => (right ? String(value).padEnd(width) : String(value).padStart(width));
const ratio = (a, b) => (a && b ? Number((a / b).toFixed(3)) : null);

function printTable(summary) {
  const header = `${pad("scenario", 34, true)} ${pad("c", 2)} ${pad("req/s", 8)} ${pad("p50 ms", 7)} ${pad("p99 ms", 7)} ${pad("bad", 5)}`;
  const lines = [header, "-".repeat(header.length)];
  for (const { id, label } of SCENARIOS) {
    for (const c of options.connections) {
      const s = summary[id]?.[c];
      lines.push(
        s
          ? `${pad(label, 34, true)} ${pad(c, 2)} ${pad(s.requestsPerSecond.toFixed(1), 8)} ${pad(s.p50Ms, 7)} ${pad(s.p99Ms, 7)} ${pad(s.unexpected, 5)}`
          : `${pad(label, 34, true)} ${pad(c, 2)} ${pad("n/a", 8)}`,
      );
    }
  }
  console.log(lines.join("\n"));
}

// ---- main --------------------------------------------------------------------------------------
async function main() {
  log(`temp dir ${home}; ${options.rounds} round(s) of ${options.duration} s per scenario and concurrency`);
  const bundle = await bundleSize();
  log(`bundle: ${bundle.gzipKiB} KiB gzipped (${elapsed()})`);

  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--config", productConfig, "--persist-to", persistTo], home);
  const groups = [];
  for (let round = 0; round <= options.rounds; round++) {
    const counting = round === options.rounds;
    groups.push({
      round,
      passwordUsers: counting ? COUNT_SAMPLES : PASSWORD_USERS,
      chainUsers: counting ? 1 : CHAIN_USERS,
      codeUsers: counting ? COUNT_SAMPLES : CODE_USERS,
    });
  }
  const seedFile = join(home, "seed.sql");
  const seeded = writeSeed(seedFile, groups);
  await runWrangler(["d1", "execute", "DB", "--local", "--config", productConfig, "--persist-to", persistTo, "--file", seedFile], home);
  log(`migrated and seeded ${seeded} users (${elapsed()})`);

  const launched = await Promise.allSettled([
    // The servers run the pre-built bundles with --no-bundle: wrangler dev would otherwise watch
    // src/ and restart the Worker mid-run whenever someone edits a file in the working tree.
    startDev({ config: productConfig, persistTo, home, logFile: join(home, "product.log"), readyPath: "/.well-known/jwks.json", script: await buildBundle(productConfig, join(home, "dist")), extraArgs: ["--no-bundle"] }),
    startDev({ config: pbkdf2Config, persistTo: join(home, "pbkdf2-state"), home, logFile: join(home, "pbkdf2.log"), readyPath: "/iterations", script: await buildBundle(pbkdf2Config, join(home, "pbkdf2-dist")), extraArgs: ["--no-bundle"] }),
  ]);
  // Whatever launched is stopped by cleanup(), also when the other one failed.
  for (const result of launched) if (result.status === "fulfilled") servers.push(result.value);
  for (const result of launched) if (result.status === "rejected") throw result.reason;
  const [product, pbkdf2] = launched.map((result) => result.value);
  const iterations = (await (await fetch(`${pbkdf2.url}/iterations`)).json()).iterations;
  log(`product on ${product.url}, PBKDF2 bench worker on ${pbkdf2.url} (${iterations} iterations) (${elapsed()})`);

  // Warm both isolates (JIT, per-isolate caches, key import) before anything is measured.
  await measure({ url: pbkdf2.url, path: "/", connections: 8, duration: 1, expectStatus: 204 });
  await measure({ url: product.url, path: "/.well-known/jwks.json", connections: 8, duration: 1, expectStatus: 200 });
  await measure({
    url: product.url, path: "/auth/v1/signin", method: "POST", connections: 8, duration: 1, expectStatus: 400,
    next: (() => { let i = 0; return () => ({ body: { username: `nobody-warmup-${i++}`, password: BENCH_PASSWORD } }); })(),
  });

  const runs = [];
  for (let round = 0; round < options.rounds; round++) {
    const mintStarted = Date.now();
    const codeTokens = await mintCodeTokens(product.url, round, CODE_USERS);
    const chains = await pool(CHAIN_USERS, 4, (i) => signIn(product.url, chainUser(round, i)));
    log(`round ${round + 1}: minted ${codeTokens.length} verification tokens and ${chains.length} sessions in ${((Date.now() - mintStarted) / 1000).toFixed(1)} s`);
    const state = {
      nextPasswordUser: 0,
      nextWrongUser: 0,
      nextUnknown: 0,
      codeTokens,
      refreshTokens: chains.map((c) => c.refresh_token),
      accessToken: chains[0].access_token,
    };
    for (const { id } of SCENARIOS) {
      for (const connections of options.connections) {
        const result = await scenarioRunner(id, { product, pbkdf2, round, duration: options.duration, connections, state });
        runs.push({ round, scenario: id, ...result });
        log(`${id} c=${connections}: ${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.unexpected} unexpected${result.unexpectedSamples ? ` e.g. ${JSON.stringify(result.unexpectedSamples)}` : ""} (${elapsed()})`);
      }
    }
  }
  await Promise.all(servers.map((server) => server.stop()));
  servers.length = 0;

  const countingBundle = await buildBundle(countingConfig, join(home, "counting-dist"));
  const counting = await startDev({ config: countingConfig, persistTo, home, logFile: join(home, "counting.log"), readyPath: "/.well-known/jwks.json", script: countingBundle, extraArgs: ["--no-bundle"] });
  servers.push(counting);
  const calls = await countCalls(counting.url);
  await counting.stop();
  servers.length = 0;

  const summary = summarise(runs);
  const c8 = options.connections.at(-1);
  const c1 = options.connections[0];
  const derived = {
    signinOverPbkdf2: Object.fromEntries(options.connections.map((c) => [c, ratio(summary.signin[c]?.requestsPerSecond, summary.pbkdf2[c]?.requestsPerSecond)])),
    unknownOverKnownP50: Object.fromEntries(options.connections.map((c) => [c, ratio(summary.unknown[c]?.p50Ms, summary.signin[c]?.p50Ms)])),
    // What an attacker can compare: an unknown username against a known one with a wrong password.
    unknownOverWrongPasswordP50: Object.fromEntries(options.connections.map((c) => [c, ratio(summary.unknown[c]?.p50Ms, summary.wrong[c]?.p50Ms)])),
  };
  const s = calls.signin;
  const targets = [
    ["sign-in throughput / raw PBKDF2 at c=8 >= 0.90", derived.signinOverPbkdf2[c8], derived.signinOverPbkdf2[c8] >= 0.9],
    ["unknown-user p50 within 10% of known-user (c=1)", derived.unknownOverKnownP50[c1], Math.abs(derived.unknownOverKnownP50[c1] - 1) <= 0.1],
    ["(info) unknown-user p50 within 10% of wrong-password (c=1)", derived.unknownOverWrongPasswordP50[c1], Math.abs(derived.unknownOverWrongPasswordP50[c1] - 1) <= 0.1],
    ["D1 per password sign-in <= 1 read + 1 batch", `${s.d1Statements} read(s) + ${s.d1Batches} batch(es)`, s.d1Statements <= 1 && s.d1Batches <= 1],
    ["Durable Object calls per password sign-in <= 2", s.durableObjectCalls, s.durableObjectCalls <= 2],
    ["bundle <= 128 KiB gzipped", `${bundle.gzipKiB} KiB`, bundle.gzipKiB <= 128],
  ];

  console.log("");
  console.log(`edge-signin bench: ${new Date().toISOString()}, ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ""}, Node ${process.version}, PBKDF2 ${iterations} iterations`);
  console.log(`${options.rounds} round(s) x ${options.duration} s per row${options.rounds > 1 ? " (medians over rounds)" : ""}; "bad" = responses with another status than expected, plus socket errors`);
  console.log("");
  printTable(summary);
  console.log("");
  for (const c of options.connections) {
    console.log(`sign-in / raw PBKDF2 throughput at c=${c}: ${derived.signinOverPbkdf2[c]}`);
  }
  for (const c of options.connections) {
    console.log(`unknown-user / known-user (successful) p50 at c=${c}: ${derived.unknownOverKnownP50[c]}`);
  }
  for (const c of options.connections) {
    console.log(`unknown-user / known-user (wrong password) p50 at c=${c}: ${derived.unknownOverWrongPasswordP50[c]}`);
  }
  console.log("");
  console.log(`calls per request (steady state, ${COUNT_SAMPLES} sequential requests each; settings cache warm):`);
  console.log(`${pad("scenario", 10, true)} ${pad("D1 stmts", 9)} ${pad("D1 batches", 11)} ${pad("(stmts in)", 11)} ${pad("DO calls", 9)}`);
  for (const [id, c] of Object.entries(calls)) {
    console.log(`${pad(id, 10, true)} ${pad(c.d1Statements, 9)} ${pad(c.d1Batches, 11)} ${pad(c.d1BatchStatements, 11)} ${pad(c.durableObjectCalls, 9)}`);
  }
  for (const id of ["signin", "wrong", "unknown"]) {
    const c = calls[id];
    console.log(`${id}: ${JSON.stringify(c.detail)}`);
    console.log(`${id}: ${c.clientMs} ms per request seen by the client, waiting on ${JSON.stringify(c.waitMs)} ms`);
  }
  console.log("");
  console.log(`bundle: ${bundle.gzipKiB} KiB gzipped (${(bundle.bytes / 1024).toFixed(1)} KiB raw): ${bundle.files.join(", ")}`);
  console.log("");
  for (const [name, value, ok] of targets) console.log(`${ok ? "meets " : "MISSES"}  ${name}: ${value}`);

  if (options.json) {
    const report = {
      date: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
      pbkdf2Iterations: iterations,
      durationSeconds: options.duration,
      rounds: options.rounds,
      scenarios: Object.fromEntries(SCENARIOS.map(({ id, label }) => [id, { label, byConnections: summary[id] }])),
      runs,
      derived,
      callsPerRequest: calls,
      bundle,
      targets: targets.map(([name, value, ok]) => ({ name, value, ok })),
    };
    writeFileSync(options.json, JSON.stringify(report, null, 2) + "\n");
    log(`wrote ${options.json}`);
  }
  log(`done in ${elapsed()}`);
}

try {
  await main();
} catch (err) {
  console.error(`[bench] failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
