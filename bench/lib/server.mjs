// Starting and stopping `wrangler dev` for the bench: 127.0.0.1 only, a free port, its own
// persistence directory, quiet logging, in its own process group so that stopping it also stops
// workerd. Every process started here is stopped on exit, Ctrl-C or an error.
import { spawn } from "node:child_process";
import { openSync, closeSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { QUIET_WRANGLER_ENV } from "../../scripts/lib/wrangler-env.mjs";

export const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/** Quiet and offline wrangler; its config and temp files go to `home`, never the developer's. */
export function wranglerEnv(home) {
  return {
    ...process.env,
    ...QUIET_WRANGLER_ENV,
    XDG_CONFIG_HOME: join(home, "config"),
    TMPDIR: home,
    NO_COLOR: "1",
  };
}

/** A port nobody listens on right now (127.0.0.1). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const running = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stopAllSync() {
  for (const child of running) killGroup(child, "SIGKILL");
  running.clear();
}
process.on("exit", stopAllSync);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopAllSync();
    process.exit(130);
  });
}

/** Runs wrangler to completion (no stdin, CI=true: never a prompt); rejects with its output on failure. */
export function runWrangler(args, home, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerBin, ...args], {
      cwd: root,
      env: { ...wranglerEnv(home), CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(child);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (${code}):\n${output.slice(-4000)}`));
    });
  });
}

/**
 * Starts `wrangler dev` and resolves once `readyPath` answers. Output goes to `logFile`.
 * Returns { url, stop }.
 */
export async function startDev({ config, persistTo, home, logFile, script, extraArgs = [], readyPath = "/", readyTimeoutMs = 90_000 }) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [
    wranglerBin,
    "dev",
    ...(script ? [script] : []),
    "--config", config,
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--inspector-port", String(inspectorPort),
    "--persist-to", persistTo,
    "--log-level", "error",
    "--show-interactive-dev-session=false",
    ...extraArgs,
  ];
  const fd = openSync(logFile, "a");
  // detached: its own session and process group (setsid), so the group can be stopped as one.
  const child = spawn(process.execPath, args, { cwd: root, env: wranglerEnv(home), stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  running.add(child);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (!running.has(child)) return;
    killGroup(child, "SIGTERM");
    const timedOut = await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
    if (timedOut) killGroup(child, "SIGKILL");
    // workerd may outlive wrangler by a moment: make sure the whole group is gone.
    killGroup(child, "SIGKILL");
    running.delete(child);
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early (${child.exitCode}); see ${logFile}`);
    try {
      const response = await fetch(url + readyPath, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not become ready within ${readyTimeoutMs} ms; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}

/** `wrangler deploy --dry-run` into `outdir`: the exact code that would be uploaded. Returns the entry file. */
export async function buildBundle(config, outdir, home) {
  await runWrangler(["deploy", "--dry-run", "--env=", "--outdir", outdir, "--config", config], home);
  // Named after the entry (index.js, pbkdf2-worker.js, counting-entry.gen.js).
  const entry = readdirSync(outdir).find((name) => /\.m?js$/.test(name));
  if (!entry) throw new Error(`wrangler deploy --dry-run wrote no JavaScript to ${outdir}`);
  return join(outdir, entry);
}
