// Starts `wrangler dev` for the Node-side tests: 127.0.0.1 on a free port, throwaway --persist-to
// state and config, an ephemeral ES256 key and admin token passed with --var, in its own process
// group so that stopping it also stops workerd. Stopped on teardown, and on exit as a last resort.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { QUIET_WRANGLER_ENV } from "../../scripts/lib/wrangler-env.mjs";

const root = resolve(import.meta.dirname, "../..");
const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

export interface DevServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

function signingKeys(): string {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  return JSON.stringify({ keys: [{ ...jwk, kid: "browser-test", alg: "ES256" }] });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output().slice(-3000)}`);
    try {
      const response = await fetch(`${url}/auth/v1/openapi.json`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`wrangler dev did not answer within ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

export async function startWranglerDev({ timeoutMs = 45_000 } = {}): Promise<DevServer> {
  const home = mkdtempSync(join(tmpdir(), "edge-signin-browser-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    wranglerBin,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    join(home, "state"),
    "--log-level",
    "error",
    "--var",
    `JWT_SIGNING_KEYS:${signingKeys()}`,
    "--var",
    `ADMIN_API_TOKEN:${randomBytes(24).toString("base64url")}`,
    "--var",
    `ISSUER:${url}`,
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true, // its own process group (setsid): wrangler and workerd stop together
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...QUIET_WRANGLER_ENV,
      XDG_CONFIG_HOME: join(home, "config"),
      TMPDIR: home,
      NO_COLOR: "1",
      CI: "true",
    },
  });
  let output = "";
  // The secrets are in the arguments, never in wrangler's output; the output is shown only on failure.
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const lastResort = () => killGroup(child, "SIGKILL");
  process.on("exit", lastResort);

  const stop = async () => {
    process.off("exit", lastResort);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    killGroup(child, "SIGKILL"); // workerd, if it outlived wrangler
    rmSync(home, { recursive: true, force: true });
  };

  try {
    await waitUntilServing(url, child, () => output, timeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
