// `.dev.vars`: the local secrets file `wrangler dev` reads (dotenv syntax, gitignored).
// Generates a fresh one for a new clone and reads single values back for the dev scripts.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

/** A JWK Set with one fresh ES256 (P-256) private key, as JWT_SIGNING_KEYS wants it. */
export function freshSigningKeys(now = new Date()) {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const date = now.toISOString().slice(0, 10).replaceAll("-", "");
  const kid = `dev-${date}-${randomBytes(4).toString("hex")}`;
  return { kid, json: JSON.stringify({ keys: [{ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid, alg: "ES256" }] }) };
}

/** 32 random bytes, base64url. */
export function freshAdminToken() {
  return randomBytes(32).toString("base64url");
}

/** Writes a new `.dev.vars` (mode 0600) and fails rather than overwrite an existing one. */
export function writeDevVars(path, now = new Date()) {
  const keys = freshSigningKeys(now);
  const text = [
    `# Local secrets for \`wrangler dev\`, written by scripts/dev.mjs on ${now.toISOString()}.`,
    "# Gitignored: never commit it. Delete it and run `npm run dev` again for fresh values.",
    "# Single quotes keep the JSON literal (dotenv syntax).",
    `JWT_SIGNING_KEYS='${keys.json}'`,
    `ADMIN_API_TOKEN=${freshAdminToken()}`,
    "# Optional. If set before the first `npm run dev`, the demo user is seeded with the pepper.",
    "# PASSWORD_PEPPER=",
    "",
  ].join("\n");
  writeFileSync(path, text, { mode: 0o600, flag: "wx" });
  return { kid: keys.kid };
}

/**
 * Parses dotenv-style `NAME=value` lines: `#` comments, optional `export `, values in single quotes
 * (literal), double quotes (\n escapes) or bare (trailing ` # comment` dropped). Enough for
 * `.dev.vars`; not a full dotenv implementation.
 */
export function parseDevVars(text) {
  const vars = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, name, rest] = match;
    let value;
    if (rest.startsWith("'")) value = rest.slice(1, rest.lastIndexOf("'") > 0 ? rest.lastIndexOf("'") : undefined);
    else if (rest.startsWith('"')) {
      value = rest.slice(1, rest.lastIndexOf('"') > 0 ? rest.lastIndexOf('"') : undefined).replaceAll("\\n", "\n");
    } else value = rest.replace(/\s+#.*$/, "").trim();
    vars[name] = value;
  }
  return vars;
}

export function readDevVars(path) {
  return parseDevVars(readFileSync(path, "utf8"));
}
