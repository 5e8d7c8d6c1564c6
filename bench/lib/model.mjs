// `npm run bench -- --model far|near|none [--samples 20] [--json FILE] [--keep]`
//
// The latency model: the product runs from the counting entry (bench/counting-entry.ts), which
// makes every binding call wait as it would when deployed (D1 primary 100 ms far / 10 ms near, a
// D1 read replica 5 ms, a Durable Object call 10 ms, KV 5 ms read / 100 ms write) and records each
// call. Every flow is then driven with N sequential requests (one at a time, after a warm-up): the
// p50 and mean latency seen by the client, and per request the calls the counting entry saw (D1
// primary statements and batches, replica reads, Durable Object calls by Namespace.method, KV),
// split into calls started before the answer and after it. Users are made through the admin API
// and one-time credentials (codes, verification tokens, sessions, captcha challenges) through the
// public API, before each flow and outside its measured requests, tokens treated as opaque
// strings; every answer's status (and error name) is checked, and a flow with any other answer is
// reported as FAILED (exit code 1), not with numbers. See docs/benchmarks.md.
import { cpus, loadavg, tmpdir } from "node:os";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildBundle, runWrangler, startDev } from "./server.mjs";
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
} from "./setup.mjs";

const WARMUP = 2;
const SETUP_PARALLEL = 6;
/** Rounds of bench/lib/setup.mjs naming used here: 0 the users made before the flows; the others fresh contacts. */
const PREPARED = 0;
const SEND_ROUND = 11;
const VERIFY_ROUND = 12;
const SIGNUP_ROUND = 13;

const log = (message) => console.error(`[bench] ${message}`);

// ---- HTTP --------------------------------------------------------------------------------------
/** One request; the body is read whole. Returns { status, ms, json, text }. */
async function send(base, { method = "GET", path, body, headers = {} }) {
  const started = performance.now();
  const response = await fetch(base + path, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, ms, json, text };
}

/** A setup call that must succeed; returns the answer's JSON. */
async function must(base, request, what) {
  const answer = await send(base, request);
  if (answer.status !== 200) throw new Error(`${what} answered ${answer.status} ${answer.text.slice(0, 200)}`);
  return answer.json;
}

/** An opaque string field of a setup answer (tokens' formats are the product's business). */
function field(json, name, what) {
  const value = json?.[name];
  if (typeof value !== "string" || value === "") throw new Error(`${what}: no ${name} in ${JSON.stringify(json).slice(0, 200)}`);
  return value;
}

/** Runs `count` tasks, `parallel` at a time. */
export async function pool(count, parallel, task) {
  let next = 0;
  const results = new Array(count);
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

// ---- credentials through the real API (not measured) -------------------------------------------
const signIn = (url, username) => must(url, { method: "POST", path: "/auth/v1/signin", body: { username, password: BENCH_PASSWORD } }, `sign-in of ${username}`);

async function sendCode(url, email) {
  const sent = await must(url, { method: "POST", path: "/auth/v1/verification", body: { email } }, `sending a code to ${email}`);
  return field(sent, "verification_id", "send");
}

async function verificationToken(url, email, code) {
  const verificationId = await sendCode(url, email);
  const verified = await must(
    url,
    { method: "POST", path: "/auth/v1/verification/verify", body: { verification_id: verificationId, verification_code: code } },
    `verifying the code of ${email}`,
  );
  return field(verified, "verification_token", "verify");
}

async function challengeToken(url) {
  const challenge = await must(url, { method: "POST", path: "/auth/v1/captcha/data", body: {} }, "a captcha challenge");
  return field(challenge, "token", "captcha data");
}

// ---- the flows ---------------------------------------------------------------------------------
/**
 * Each flow: `prepare(url, n)` makes n one-time inputs outside the measured requests (warm-up
 * ones included); `request(input, i)` is the request measured; `expect` its status and, for an
 * error, the `error` name; `hashed`: the request runs one PBKDF2 (p50 minus the raw hash is shown).
 */
function flows(runTag) {
  let refreshToken;
  return [
    {
      id: "signin",
      label: "password sign-in, success",
      hashed: true,
      expect: { status: 200 },
      prepare: async (_url, n) => Array.from({ length: n }, (_, i) => passwordUser(PREPARED, i)),
      request: (username) => ({ method: "POST", path: "/auth/v1/signin", body: { username, password: BENCH_PASSWORD } }),
    },
    {
      id: "wrong",
      label: "password sign-in, wrong password",
      hashed: true,
      // One wrong guess per existing user: far below the captcha threshold.
      expect: { status: 400, error: "invalid_username_or_password" },
      prepare: async (_url, n) => Array.from({ length: n }, (_, i) => wrongPasswordUser(PREPARED, i)),
      request: (username) => ({ method: "POST", path: "/auth/v1/signin", body: { username, password: "not-the-password" } }),
    },
    {
      id: "unknown",
      label: "password sign-in, unknown user",
      hashed: true,
      expect: { status: 400, error: "invalid_username_or_password" },
      prepare: async (_url, n) => Array.from({ length: n }, (_, i) => `nobody-${runTag}-${i}`),
      request: (username) => ({ method: "POST", path: "/auth/v1/signin", body: { username, password: BENCH_PASSWORD } }),
    },
    {
      id: "send",
      label: "code send (email)",
      expect: { status: 200 },
      prepare: async (_url, n) => Array.from({ length: n }, (_, i) => codeEmail(SEND_ROUND, i)),
      request: (email) => ({ method: "POST", path: "/auth/v1/verification", body: { email } }),
    },
    {
      id: "verify",
      label: "code verify",
      expect: { status: 200 },
      prepare: (url, n) =>
        pool(n, SETUP_PARALLEL, async (i) => ({ id: await sendCode(url, codeEmail(VERIFY_ROUND, i)), code: codeFor(VERIFY_ROUND, i) })),
      request: ({ id, code }) => ({
        method: "POST",
        path: "/auth/v1/verification/verify",
        body: { verification_id: id, verification_code: code },
      }),
    },
    {
      id: "code",
      label: "code sign-in",
      expect: { status: 200 },
      prepare: (url, n) => pool(n, SETUP_PARALLEL, (i) => verificationToken(url, codeEmail(PREPARED, i), codeFor(PREPARED, i))),
      request: (token) => ({ method: "POST", path: "/auth/v1/signin", body: { verification_token: token } }),
    },
    {
      id: "signup",
      label: "signup (code + password)",
      hashed: true,
      expect: { status: 200 },
      prepare: (url, n) =>
        pool(n, SETUP_PARALLEL, async (i) => ({
          token: await verificationToken(url, codeEmail(SIGNUP_ROUND, i), codeFor(SIGNUP_ROUND, i)),
          username: `signup-${runTag}-${i}`,
        })),
      request: ({ token, username }) => ({
        method: "POST",
        path: "/auth/v1/signup",
        body: { verification_token: token, username, password: BENCH_PASSWORD },
      }),
    },
    {
      id: "refresh",
      label: "refresh (rotation chain)",
      expect: { status: 200 },
      // A chain: each answer's refresh_token is the next request's.
      prepare: async (url, n) => {
        refreshToken = field(await signIn(url, chainUser(PREPARED, 0)), "refresh_token", "chain sign-in");
        return Array.from({ length: n }, () => null);
      },
      request: () => ({ method: "POST", path: "/auth/v1/token", body: { grant_type: "refresh_token", refresh_token: refreshToken } }),
      onAnswer: (answer) => {
        if (answer.status === 200) refreshToken = answer.json?.refresh_token;
      },
    },
    {
      id: "me",
      label: "GET /auth/v1/user/me",
      expect: { status: 200 },
      prepare: async (url, n) => {
        const accessToken = field(await signIn(url, chainUser(PREPARED, 1)), "access_token", "me sign-in");
        return Array.from({ length: n }, () => accessToken);
      },
      request: (accessToken) => ({ path: "/auth/v1/user/me", headers: { authorization: `Bearer ${accessToken}` } }),
    },
    {
      id: "revoke",
      label: "revoke (refresh token)",
      expect: { status: 200 },
      prepare: (url, n) =>
        pool(n, SETUP_PARALLEL, async (i) => field(await signIn(url, chainUser(PREPARED, 2 + i)), "refresh_token", "revoke sign-in")),
      request: (token) => ({ method: "POST", path: "/auth/v1/revoke", body: { token } }),
    },
    {
      id: "captcha",
      label: "captcha data",
      expect: { status: 200 },
      prepare: async (_url, n) => Array.from({ length: n }, () => null),
      request: () => ({ method: "POST", path: "/auth/v1/captcha/data", body: {} }),
    },
    {
      id: "captchaVerify",
      label: "captcha verify (wrong answer)",
      // The bench cannot read the picture; a wrong answer spends a try like the right one.
      expect: { status: 400, error: "captcha_invalid" },
      prepare: (url, n) => pool(n, SETUP_PARALLEL, () => challengeToken(url)),
      request: (token) => ({ method: "POST", path: "/auth/v1/captcha/data/verify", body: { token, key: "ZZZZ" } }),
    },
  ];
}

/** The contacts the flows send codes to (TEST_OTP knows every code), and the users they need. */
function needs(n) {
  const testOtp = {};
  for (const round of [PREPARED, SEND_ROUND, VERIFY_ROUND, SIGNUP_ROUND]) {
    for (let i = 0; i < n; i++) testOtp[codeEmail(round, i)] = codeFor(round, i);
  }
  const users = [];
  for (let i = 0; i < n; i++) users.push({ username: passwordUser(PREPARED, i), password: BENCH_PASSWORD });
  for (let i = 0; i < n; i++) users.push({ username: wrongPasswordUser(PREPARED, i), password: BENCH_PASSWORD });
  // chain-0-0: refresh chain; chain-0-1: /user/me; chain-0-(2..): one session per revoke.
  for (let i = 0; i < 2 + n; i++) users.push({ username: chainUser(PREPARED, i), password: BENCH_PASSWORD });
  for (let i = 0; i < n; i++) users.push({ username: `code-${PREPARED}-${i}`, email: codeEmail(PREPARED, i), password: BENCH_PASSWORD });
  return { testOtp, users };
}

/**
 * The users, made through the admin API (POST /auth/v1/admin/users) rather than inserted into D1:
 * whatever the product stores and however it hashes, a user made this way is one it can sign in.
 * (A user made by signup would have spent its email's one send per minute.)
 */
async function createUsers(url, adminToken, users) {
  await pool(users.length, SETUP_PARALLEL, async (i) => {
    const answer = await send(url, {
      method: "POST",
      path: "/auth/v1/admin/users",
      body: users[i],
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (answer.status !== 201 && answer.status !== 200) {
      throw new Error(`creating user ${users[i].username} answered ${answer.status} ${answer.text.slice(0, 200)}`);
    }
  });
  return users.length;
}

// ---- counting ----------------------------------------------------------------------------------
const CATEGORIES = {
  "d1-primary-statement": "d1PrimaryStatements",
  "d1-primary-batch": "d1PrimaryBatches",
  "d1-replica-statement": "replicaReads",
  "d1-replica-batch": "replicaReads",
  do: "durableObjectCalls",
  "kv-read": "kvReads",
  "kv-write": "kvWrites",
};
const COUNTS = ["d1PrimaryStatements", "d1PrimaryBatches", "d1PrimaryBatchStatements", "replicaReads", "durableObjectCalls", "kvReads", "kvWrites"];
const WAIT_KINDS = { "d1-primary-statement": "d1Primary", "d1-primary-batch": "d1Primary", "d1-replica-statement": "d1Replica", "d1-replica-batch": "d1Replica", do: "durableObject", "kv-read": "kv", "kv-write": "kv" };

/** One request's events -> counts before/after the answer, labels, waits. */
function tally(events) {
  const zero = () => Object.fromEntries(COUNTS.map((k) => [k, 0]));
  const result = { before: zero(), after: zero(), labels: {}, waitMs: {}, modelledMs: {} };
  for (const e of events) {
    const counts = result[e.phase];
    counts[CATEGORIES[e.kind]] += 1;
    if (e.kind === "d1-primary-batch") counts.d1PrimaryBatchStatements += e.statements ?? 0;
    const label = `${e.phase === "after" ? "[after answer] " : ""}${e.kind}: ${e.label}`;
    result.labels[label] = (result.labels[label] ?? 0) + 1;
    const wait = WAIT_KINDS[e.kind];
    result.waitMs[wait] = (result.waitMs[wait] ?? 0) + Math.max(0, e.ms);
    result.modelledMs[wait] = (result.modelledMs[wait] ?? 0) + e.delayMs;
  }
  return result;
}

const round1 = (x) => Number(x.toFixed(1));
const round2 = (x) => Number(x.toFixed(2));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** Per-request tallies -> mean/min/max per count, mean per label and per wait kind. */
function summariseCounts(tallies) {
  const stat = (values) => ({ mean: round2(mean(values)), min: Math.min(...values), max: Math.max(...values) });
  const perPhase = (phase) => Object.fromEntries(COUNTS.map((k) => [k, stat(tallies.map((t) => t[phase][k]))]));
  const averaged = (key) => {
    const sums = {};
    for (const t of tallies) for (const [k, v] of Object.entries(t[key])) sums[k] = (sums[k] ?? 0) + v;
    return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, round2(v / tallies.length)]));
  };
  return { beforeAnswer: perPhase("before"), afterAnswer: perPhase("after"), calls: averaged("labels"), waitMs: averaged("waitMs"), modelledMs: averaged("modelledMs") };
}

// ---- running one flow --------------------------------------------------------------------------
async function counters(url, reset) {
  const response = await fetch(`${url}/__bench/counters?settle=1`, { method: reset ? "POST" : "GET" });
  if (response.status !== 200) throw new Error(`/__bench/counters answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

function unexpected(flow, answer) {
  if (answer.status !== flow.expect.status) return `${answer.status} ${answer.text.slice(0, 160)}`;
  if (flow.expect.error && answer.json?.error !== flow.expect.error) return `${answer.status} ${answer.text.slice(0, 160)}`;
  return undefined;
}

async function runFlow(flow, { url, samples, counted }) {
  const result = { id: flow.id, label: flow.label, expect: flow.expect, ok: false, statuses: {} };
  let inputs;
  try {
    inputs = await flow.prepare(url, WARMUP + samples);
  } catch (err) {
    return { ...result, failure: `setup failed: ${err.message}` };
  }
  const problems = [];
  const times = [];
  const tallies = [];
  let bad = 0;
  const check = (answer, phase) => {
    if (phase === "measured") result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
    const wrong = unexpected(flow, answer);
    if (!wrong) return;
    bad += 1;
    if (problems.length < 3) problems.push(`${phase}: ${wrong}`);
  };
  try {
    for (let i = 0; i < WARMUP; i++) {
      const answer = await send(url, flow.request(inputs[i], i));
      flow.onAnswer?.(answer);
      check(answer, "warm-up");
    }
    if (counted) await counters(url, true);
    for (let i = WARMUP; i < WARMUP + samples; i++) {
      const answer = await send(url, flow.request(inputs[i], i));
      flow.onAnswer?.(answer);
      times.push(answer.ms);
      check(answer, "measured");
      if (counted) tallies.push(tally((await counters(url, true)).events));
    }
  } catch (err) {
    return { ...result, failure: `a request failed: ${err.message}` };
  }
  result.ok = bad === 0;
  if (!result.ok) result.failure = `${bad} of ${WARMUP + samples} answers (warm-up included) not ${flow.expect.status}${flow.expect.error ? ` ${flow.expect.error}` : ""}: ${problems.join(" / ")}`;
  result.samplesMs = times.map(round1);
  result.p50Ms = round1(median(times));
  result.meanMs = round1(mean(times));
  if (counted) result.perRequest = summariseCounts(tallies);
  return result;
}

// ---- reporting ---------------------------------------------------------------------------------
const pad = (value, width, right = false) => (right ? String(value).padEnd(width) : String(value).padStart(width));
const num = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0+$/, ""));

function countCell(stat) {
  return stat.min === stat.max ? num(stat.mean) : `${num(stat.mean)} (${stat.min}-${stat.max})`;
}

function afterCell(after) {
  const parts = [];
  if (after.d1PrimaryStatements.max || after.d1PrimaryBatches.max) parts.push(`D1p ${countCell(after.d1PrimaryStatements)}+${countCell(after.d1PrimaryBatches)}`);
  if (after.replicaReads.max) parts.push(`rep ${countCell(after.replicaReads)}`);
  if (after.durableObjectCalls.max) parts.push(`DO ${countCell(after.durableObjectCalls)}`);
  if (after.kvReads.max || after.kvWrites.max) parts.push(`KV ${countCell(after.kvReads)}r+${countCell(after.kvWrites)}w`);
  return parts.length ? parts.join(", ") : "0";
}

function printReport(report) {
  const { results, hash } = report;
  const header = `${pad("flow", 33, true)} ${pad("p50 ms", 7)} ${pad("mean ms", 8)} ${pad("p50-hash", 8)}  ${pad("D1 primary st+batch", 20, true)} ${pad("replica", 8, true)} ${pad("DO calls", 9, true)} after answer`;
  const lines = [header, "-".repeat(header.length + 4)];
  for (const r of results) {
    if (!r.ok) {
      lines.push(`${pad(r.label, 33, true)} FAILED: ${r.failure}`);
      continue;
    }
    const minusHash = r.p50MinusHashMs ?? "";
    const b = r.perRequest?.beforeAnswer;
    lines.push(
      `${pad(r.label, 33, true)} ${pad(r.p50Ms.toFixed(1), 7)} ${pad(r.meanMs.toFixed(1), 8)} ${pad(minusHash === "" ? "" : minusHash.toFixed(1), 8)}  ` +
        (b
          ? `${pad(`${countCell(b.d1PrimaryStatements)} + ${countCell(b.d1PrimaryBatches)}`, 20, true)} ${pad(countCell(b.replicaReads), 8, true)} ${pad(countCell(b.durableObjectCalls), 9, true)} ${afterCell(r.perRequest.afterAnswer)}`
          : "(not counted: separate Worker)"),
    );
  }
  console.log(lines.join("\n"));
  console.log("");
  console.log("calls per request by binding call (mean over the measured requests; a count below 1 is a call some requests made):");
  for (const r of results) {
    if (!r.perRequest) continue;
    if (!r.ok) {
      console.log(`  ${r.label}: FAILED (not shown: they would be the counts of wrong answers)`);
      continue;
    }
    console.log(`  ${r.label}:`);
    for (const [label, count] of Object.entries(r.perRequest.calls).sort()) console.log(`    ${pad(num(count), 5)}  ${label}`);
    const waits = Object.entries(r.perRequest.waitMs)
      .map(([kind, ms]) => `${kind} ${round1(ms)} ms (modelled ${round1(r.perRequest.modelledMs[kind] ?? 0)})`)
      .join(", ");
    console.log(`           waits per request: ${waits || "none"}`);
  }
}

// ---- main --------------------------------------------------------------------------------------
/** Runs the latency model bench; returns the exit code (0: every flow answered as expected). */
export async function runLatencyModel(options) {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const samples = options.samples;
  const n = WARMUP + samples;
  const home = mkdtempSync(join(tmpdir(), "edge-signin-bench-model-"));
  const persistTo = join(home, "state");
  const servers = [];
  try {
    log(`latency model "${options.model}", PASSWORD_HASH_ROUNDS ${options.hashRounds}, ${samples} sequential requests per flow after ${WARMUP} warm-up; temp dir ${home}`);
    const { testOtp, users } = needs(n);
    const vars = {
      ...benchVars({ rounds: 0, codeUsers: 0 }),
      TEST_OTP: JSON.stringify(testOtp),
      SENDER: "console",
      BENCH_LATENCY_MODEL: options.model,
      // Users are made through the admin API, so their hashes have these rounds.
      PASSWORD_HASH_ROUNDS: String(options.hashRounds),
    };
    const countingDir = join(home, "counting");
    const config = writeConfig(countingDir, writeCountingEntry(countingDir), vars);
    const pbkdf2Config = writePbkdf2Config(join(home, "pbkdf2"));

    const [countingBundle, pbkdf2Bundle] = await Promise.all([
      buildBundle(config, join(home, "counting-dist"), home),
      buildBundle(pbkdf2Config, join(home, "pbkdf2-dist"), home),
    ]);
    await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", persistTo], home);
    log(`built and migrated (${elapsed()})`);

    const launched = await Promise.allSettled([
      // Pre-built bundles with --no-bundle: an edit in src/ mid-run does not restart the Worker.
      startDev({ config, persistTo, home, logFile: join(home, "counting.log"), readyPath: "/.well-known/jwks.json", script: countingBundle, extraArgs: ["--no-bundle"] }),
      startDev({ config: pbkdf2Config, persistTo: join(home, "pbkdf2-state"), home, logFile: join(home, "pbkdf2.log"), readyPath: "/iterations", script: pbkdf2Bundle, extraArgs: ["--no-bundle"] }),
    ]);
    for (const result of launched) if (result.status === "fulfilled") servers.push(result.value);
    for (const result of launched) if (result.status === "rejected") throw result.reason;
    const [product, pbkdf2] = launched.map((result) => result.value);
    const iterations = (await (await fetch(`${pbkdf2.url}/iterations`)).json()).iterations;

    const state = await counters(product.url, true);
    if (state.model?.name !== options.model) throw new Error(`the counting entry runs model ${JSON.stringify(state.model)}, not ${options.model}`);
    if (state.unwrappedDurableObjectClasses.length) {
      log(`note: Durable Object classes exported by src/index but bound nowhere in wrangler.toml (not wrapped): ${state.unwrappedDurableObjectClasses.join(", ")}`);
    }
    log(`product (counting entry, delays ${JSON.stringify(state.model.delays)}) on ${product.url}, PBKDF2 worker on ${pbkdf2.url} (${elapsed()})`);
    const created = await createUsers(product.url, vars.ADMIN_API_TOKEN, users);
    log(`created ${created} users through the admin API (${elapsed()})`);

    // Warm both isolates (JIT, per-isolate caches, key import) before anything is measured.
    for (let i = 0; i < 5; i++) {
      await send(pbkdf2.url, { path: "/" });
      await send(product.url, { path: "/.well-known/jwks.json" });
      await send(product.url, { method: "POST", path: "/auth/v1/signin", body: { username: `nobody-warm-${started}-${i}`, password: BENCH_PASSWORD } });
    }

    const loadBefore = loadavg().map(round2);
    const hashFlow = { id: "hash", label: "raw hash (PBKDF2 worker)", expect: { status: 204 }, prepare: async () => [], request: () => ({ path: "/" }) };
    const hash = await runFlow(hashFlow, { url: pbkdf2.url, samples, counted: false });
    log(`hash: p50 ${hash.p50Ms} ms (${elapsed()})`);
    const results = [hash];
    for (const flow of flows(started.toString(36))) {
      const result = await runFlow(flow, { url: product.url, samples, counted: true });
      result.hashed = Boolean(flow.hashed);
      // A hashed request runs PASSWORD_HASH_ROUNDS chained PBKDF2 calls, the raw hash one.
      if (result.ok && flow.hashed && hash.ok) result.p50MinusHashMs = round1(result.p50Ms - options.hashRounds * hash.p50Ms);
      results.push(result);
      log(`${flow.id}: ${result.ok ? `p50 ${result.p50Ms} ms, mean ${result.meanMs} ms` : `FAILED ${result.failure}`} (${elapsed()})`);
    }

    const report = {
      date: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
      // Other work on the machine shows in the raw hash first: read the figures with it.
      loadAverage: { atStart: loadBefore, atEnd: loadavg().map(round2) },
      pbkdf2Iterations: iterations,
      passwordHashRounds: options.hashRounds,
      model: state.model,
      samples,
      warmup: WARMUP,
      hash,
      results,
    };
    console.log("");
    console.log(
      `edge-signin latency model "${state.model.name}" (${Object.entries(state.model.delays).map(([k, v]) => `${k} ${v} ms`).join(", ")}): ` +
        `${report.date}, ${report.machine.cpus} CPU(s) ${report.machine.cpuModel ?? ""}, Node ${process.version}, PBKDF2 ${iterations} iterations x ${options.hashRounds} round(s)`,
    );
    console.log(`load average ${report.loadAverage.atStart.join(" ")} at the start of the flows, ${report.loadAverage.atEnd.join(" ")} at the end`);
    console.log(`${samples} sequential requests per flow after ${WARMUP} warm-up; calls per request counted before the answer (mean, range when it varies)`);
    console.log("");
    printReport(report);
    if (options.json) {
      writeFileSync(options.json, JSON.stringify(report, null, 2) + "\n");
      log(`wrote ${options.json}`);
    }
    const failed = results.filter((r) => !r.ok);
    log(`done in ${elapsed()}${failed.length ? `; FAILED flows: ${failed.map((r) => r.id).join(", ")}` : ""}`);
    return failed.length ? 1 : 0;
  } catch (err) {
    console.error(`[bench] failed: ${err.stack ?? err}`);
    return 1;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    if (!options.keep) rmSync(home, { recursive: true, force: true });
    else log(`kept ${home}`);
  }
}
