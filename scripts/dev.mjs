#!/usr/bin/env node
// `npm run dev [-- <wrangler dev arguments>]`: local development server for the Worker.
//  1. writes `.dev.vars` with a fresh JWT_SIGNING_KEYS and ADMIN_API_TOKEN if it does not exist;
//  2. applies the local D1 migrations (non-interactively);
//  3. seeds the demo user (username `demo`, password `demo-password-123`) if it is not there;
//  4. runs `wrangler dev`, passing every argument through, adding `--ip 127.0.0.1` and
//     `--port 8787` only when the caller gave none, and forwarding signals to it.
// See docs/development.md.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readDevVars, writeDevVars } from "./lib/dev-vars.mjs";
import { hashPassword } from "./lib/password-hash.mjs";
import { QUIET_WRANGLER_ENV } from "./lib/wrangler-env.mjs";

const DEMO_USERNAME = "demo";
const DEMO_PASSWORD = "demo-password-123";
const DEFAULT_IP = "127.0.0.1";
const DEFAULT_PORT = "8787";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

// Quiet and offline: no metrics, no banner, no Cloudflare lookups, no error reports. A value the
// caller already exported wins.
const env = { ...process.env };
for (const [name, value] of Object.entries(QUIET_WRANGLER_ENV)) {
  env[name] ??= value;
}

const log = (message) => console.error(`[dev] ${message}`);

function fail(message) {
  log(message);
  process.exit(1);
}

/** The values of a flag given as `--name value` or `--name=value` (aliases allowed). */
function flagValues(args, names) {
  const values = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    for (const name of names) {
      if (arg === name) values.push(args[i + 1]);
      else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
    }
  }
  return values.filter((value) => value !== undefined);
}

const hasFlag = (args, name) => args.some((arg) => arg === name || arg.startsWith(`${name}=`));

/** `--var NAME:VALUE` (yargs arrays also take several values after one `--var`). */
function varOverride(args, name) {
  let found;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    const values = [];
    if (arg.startsWith("--var=")) values.push(arg.slice(6));
    else if (arg === "--var") for (let j = i + 1; j < args.length && !args[j].startsWith("-"); j++) values.push(args[j]);
    for (const value of values) if (value.startsWith(`${name}:`)) found = value.slice(name.length + 1);
  }
  return found;
}

/** Runs wrangler to completion with piped output; resolves with its exit code and output. */
function runWrangler(args, extraEnv = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [wranglerBin, ...args], {
      cwd: root,
      // No stdin and CI=true: wrangler treats the run as non-interactive and skips its prompts.
      env: { ...env, CI: "true", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

/** Flags that choose which config, environment and local state the D1 commands must share with `wrangler dev`. */
function sharedD1Flags(args) {
  const shared = [];
  for (const [flag, aliases] of [
    ["--config", ["--config", "-c"]],
    ["--env", ["--env", "-e"]],
    ["--persist-to", ["--persist-to"]],
  ]) {
    const values = flagValues(args, aliases);
    if (values.length > 0) shared.push(flag, values.at(-1));
  }
  return shared;
}

function ensureDevVars(args) {
  const configPath = flagValues(args, ["--config", "-c"]).at(-1);
  const dir = configPath ? dirname(resolve(root, configPath)) : root;
  const envName = flagValues(args, ["--env", "-e"]).at(-1);
  // wrangler prefers `.dev.vars.<env>` for `--env <env>` and falls back to `.dev.vars`.
  const envPath = envName ? join(dir, `.dev.vars.${envName}`) : undefined;
  const path = envPath && existsSync(envPath) ? envPath : join(dir, ".dev.vars");
  const shown = relative(process.cwd(), path) || path;
  if (existsSync(path)) {
    log(`using local secrets from ${shown}`);
  } else {
    const { kid } = writeDevVars(path);
    log(`created ${shown} with a fresh JWT_SIGNING_KEYS (ES256, kid ${kid}) and ADMIN_API_TOKEN`);
  }
  log(`admin token: grep '^ADMIN_API_TOKEN=' ${shown} | cut -d= -f2-`);
  return readDevVars(path);
}

async function applyMigrations(shared) {
  const started = Date.now();
  const { code, output } = await runWrangler(["d1", "migrations", "apply", "DB", "--local", ...shared]);
  if (code !== 0) {
    process.stderr.write(output);
    fail("applying the local D1 migrations failed (output above)");
  }
  const applied = [...new Set([...output.matchAll(/^│\s*(\d{4}_[^\s│]+\.sql)\s*│\s*✅/gmu)].map((m) => m[1]))];
  const summary = /No migrations to apply/.test(output)
    ? "already up to date"
    : applied.length > 0
      ? `applied ${applied.join(", ")}`
      : "applied";
  log(`local D1 migrations: ${summary} (${Date.now() - started} ms)`);
}

async function seedDemoUser(shared, pepper) {
  const now = Date.now();
  // A random 19-digit decimal id, [10^18, 10^19), like src/crypto/random.ts makes.
  const id = (10n ** 18n + (randomBytes(8).readBigUInt64BE() % (9n * 10n ** 18n))).toString();
  const hash = hashPassword(DEMO_PASSWORD, { pepper });
  // Idempotent: an existing `demo` user (even one whose password was changed) is left alone.
  const sql =
    "INSERT INTO users (id, username, name, password_hash, status, created_at, updated_at) " +
    `VALUES ('${id}', '${DEMO_USERNAME}', 'Demo User', '${hash}', 'ACTIVE', ${now}, ${now}) ON CONFLICT DO NOTHING RETURNING id`;
  const { code, output } = await runWrangler(["d1", "execute", "DB", "--local", "--json", ...shared, "--command", sql]);
  if (code !== 0) {
    process.stderr.write(output);
    fail("seeding the demo user failed (output above)");
  }
  // RETURNING gives a row only when the insert happened (local D1's --json has no change count).
  let inserted = true;
  try {
    inserted = JSON.parse(output.slice(output.indexOf("[")))[0].results.length > 0;
  } catch {
    // Unexpected output shape: the statement still succeeded.
  }
  log(
    !inserted
      ? `demo user already present (username ${DEMO_USERNAME}; its password is left as it is)`
      : `seeded demo user: username ${DEMO_USERNAME}, password ${DEMO_PASSWORD}${pepper ? " (peppered hash)" : ""}`,
  );
}

/** `--ip 127.0.0.1` and `--port 8787` unless the caller chose (wrangler rejects a repeated `--ip`). */
function withDefaults(args) {
  const devArgs = [...args];
  if (!hasFlag(args, "--ip")) devArgs.push("--ip", DEFAULT_IP);
  if (!hasFlag(args, "--port")) devArgs.push("--port", DEFAULT_PORT);
  const ip = flagValues(devArgs, ["--ip"]).at(-1);
  const port = flagValues(devArgs, ["--port"]).at(-1);
  log(`starting wrangler dev on http://${ip}:${port} (wrangler dev ${devArgs.join(" ")})`);
  return devArgs;
}

function startWranglerDev(devArgs) {
  const child = spawn(process.execPath, [wranglerBin, "dev", ...devArgs], { cwd: root, env, stdio: "inherit" });
  // Ctrl-C reaches the whole foreground group anyway; a signal sent to this process alone (a
  // process manager, `kill <pid>`) is passed on so wrangler can stop workerd and free the port.
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
  // `npm run` runs this under `sh -c`; npm passes a SIGTERM to that shell, which dies without
  // passing it on. Seeing ourselves re-parented then means "stop", or workerd keeps the port.
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(watch);
        log("npm went away: stopping wrangler dev");
        forward("SIGTERM");
      }
    }, 500);
    watch.unref();
  }
  child.on("error", (err) => fail(`could not start wrangler: ${err.message}`));
  child.on("exit", (code, signal) => {
    process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (!existsSync(wranglerBin)) fail("wrangler is not installed: run `npm ci` first");
  if (hasFlag(args, "--help") || hasFlag(args, "-h")) {
    startWranglerDev(args);
    return;
  }
  const vars = ensureDevVars(args);
  const shared = sharedD1Flags(args);
  await applyMigrations(shared);
  // The Worker peppers with PASSWORD_PEPPER; a `--var` wins over `.dev.vars`, as in wrangler.
  await seedDemoUser(shared, varOverride(args, "PASSWORD_PEPPER") ?? vars.PASSWORD_PEPPER);
  startWranglerDev(withDefaults(args));
}

await main();
