// The admin CLI: `npm run admin -- users create --username u --password p`. Talks to the admin API
// of a local or deployed instance; see scripts/lib/admin-commands.mjs for the commands.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { adminRequest, USAGE, UsageError } from "./lib/admin-commands.mjs";

function adminToken(url) {
  if (process.env.ADMIN_API_TOKEN) return process.env.ADMIN_API_TOKEN;
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
  if (local && existsSync(".dev.vars")) {
    const line = readFileSync(".dev.vars", "utf8").split("\n").find((l) => l.startsWith("ADMIN_API_TOKEN="));
    if (line) return line.slice("ADMIN_API_TOKEN=".length).replace(/^['"]|['"]$/g, "").trim();
  }
  throw new UsageError("set ADMIN_API_TOKEN (for a local URL it is read from .dev.vars)");
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      phone: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const url = values.url ?? process.env.EDGE_SIGNIN_URL ?? "http://127.0.0.1:8787";
  const request = adminRequest(positionals, values);
  const response = await fetch(new URL(request.path, url), {
    method: request.method,
    headers: { authorization: `Bearer ${adminToken(url)}`, ...(request.body ? { "content-type": "application/json" } : {}) },
    body: request.body ? JSON.stringify(request.body) : undefined,
  });
  const text = await response.text();
  console.log(text ? JSON.stringify(JSON.parse(text), null, 2) : `${response.status} ${response.statusText}`);
  return response.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${USAGE}` : `admin: ${err.message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
