// Throwaway configuration and data for one bench run: a wrangler config per Worker in a temp
// directory (so wrangler reads that directory's generated `.dev.vars`, never the developer's),
// and the seed SQL for the users the scenarios sign in as.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freshAdminToken, freshSigningKeys } from "../../scripts/lib/dev-vars.mjs";
import { hashPassword } from "../../scripts/lib/password-hash.mjs";
import { root } from "./server.mjs";

export const BENCH_PASSWORD = "bench-password-123";
const EMAIL_DOMAIN = "bench.example";

export const passwordUser = (round, i) => `pw-${round}-${i}`;
export const wrongPasswordUser = (round, i) => `wrong-${round}-${i}`;
export const chainUser = (round, i) => `chain-${round}-${i}`;
export const codeEmail = (round, i) => `code-${round}-${i}@${EMAIL_DOMAIN}`;
export const codeFor = (round, i) => String(100000 + ((round * 7919 + i * 104729) % 900000));

const toml = (value) => JSON.stringify(value); // a TOML basic string is JSON-compatible here

/**
 * Writes `<dir>/wrangler.toml`: the project's wrangler.toml with `main` (and its other paths:
 * migrations) made absolute, so the Worker builds from the working tree while wrangler's own files
 * and `.dev.vars` are looked up in `dir`.
 */
export function writeConfig(dir, main, vars) {
  mkdirSync(dir, { recursive: true });
  let text = readFileSync(join(root, "wrangler.toml"), "utf8");
  text = text.replace(/^main\s*=.*$/m, `main = ${toml(main)}`);
  // The docs page's static assets are not benchmarked, and wrangler restarts the Worker when the
  // assets directory changes (a 503 in the middle of a run): leave them out.
  text = text.replace(/^\[assets\]\n(?:[^\n[]+\n)*/m, "");
  // Every other path in the config is relative to the project: make it absolute.
  text = text.replaceAll(
    /^(\s*(?:migrations_dir|directory)\s*=\s*)"([^"]*)"/gm,
    (_, key, value) => `${key}${toml(resolve(root, value))}`,
  );
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, text);
  if (vars) {
    const lines = Object.entries(vars).map(([name, value]) => `${name}='${value}'`);
    writeFileSync(join(dir, ".dev.vars"), lines.join("\n") + "\n", { mode: 0o600 });
  }
  return path;
}

/**
 * The Durable Object bindings of wrangler.toml's top level (the environment `wrangler dev` runs
 * without --env): [{ name, className }], both the `[[durable_objects.bindings]]` tables and the
 * inline `bindings = [{ ... }]` form; bindings to another script's class are left out.
 */
export function durableObjectBindings(text = readFileSync(join(root, "wrangler.toml"), "utf8")) {
  const topLevel = text.split(/^\[+env\./m)[0];
  const found = [];
  const field = (chunk, key) => chunk.match(new RegExp(`(?:^|[\\s{,])${key}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
  // Tables: split at every table header and keep the durable_objects.bindings ones.
  for (const chunk of topLevel.split(/^(?=\[)/m)) {
    if (/^\[\[\s*durable_objects\.bindings\s*\]\]/.test(chunk)) {
      found.push({ name: field(chunk, "name"), className: field(chunk, "class_name"), scriptName: field(chunk, "script_name") });
    } else if (/^\[\s*durable_objects\s*\]/.test(chunk)) {
      for (const inline of chunk.match(/\{[^}]*\}/g) ?? []) {
        found.push({ name: field(inline, "name"), className: field(inline, "class_name"), scriptName: field(inline, "script_name") });
      }
    }
  }
  return found.filter((b) => b.name && b.className && !b.scriptName).map(({ name, className }) => ({ name, className }));
}

/**
 * Writes `<dir>/counting-entry.gen.ts`: bench/counting-entry.ts's default export, and for each
 * Durable Object class bound in wrangler.toml a subclass of the product's class that wraps the
 * object's env, exported under the same name (so class_name still matches). Returns its path.
 */
export function writeCountingEntry(dir) {
  mkdirSync(dir, { recursive: true });
  const counting = join(root, "bench", "counting-entry");
  const classes = new Map();
  for (const { name, className } of durableObjectBindings()) {
    if (!/^[A-Za-z_$][\w$]*$/.test(className)) throw new Error(`wrangler.toml: class_name ${className} is not an identifier`);
    classes.set(className, [...(classes.get(className) ?? []), name]);
  }
  const lines = [
    "// Generated for one bench run by bench/lib/setup.mjs (writeCountingEntry). See bench/counting-entry.ts.",
    `import * as product from ${JSON.stringify(join(root, "src", "index"))};`,
    `import { durableObjectClass } from ${JSON.stringify(counting)};`,
    `export { default } from ${JSON.stringify(counting)};`,
    ...[...classes].map(
      ([className, bindings]) =>
        `export const ${className} = durableObjectClass((product as Record<string, unknown>)[${JSON.stringify(className)}], ${JSON.stringify(className)}, ${JSON.stringify(bindings)});`,
    ),
  ];
  const path = join(dir, "counting-entry.gen.ts");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/** The bench Worker's own config (no bindings), with `main` absolute. */
export function writePbkdf2Config(dir) {
  mkdirSync(dir, { recursive: true });
  let text = readFileSync(join(root, "bench", "pbkdf2.wrangler.toml"), "utf8");
  text = text.replace(/^main\s*=.*$/m, `main = ${toml(join(root, "bench", "pbkdf2-worker.ts"))}`);
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, text);
  return path;
}

/** Secrets and variables of the bench instance (the `.dev.vars` equivalent). */
export function benchVars({ rounds, codeUsers }) {
  const testOtp = {};
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < codeUsers; i++) testOtp[codeEmail(round, i)] = codeFor(round, i);
  }
  return {
    JWT_SIGNING_KEYS: freshSigningKeys().json,
    ADMIN_API_TOKEN: freshAdminToken(),
    TEST_OTP: JSON.stringify(testOtp),
    // Every local request comes without CF-Connecting-IP and so shares one per-IP send bucket:
    // lift its captcha threshold so minting thousands of codes needs no captcha.
    SENDS_PER_IP_PER_HOUR: "100000000",
    // wrangler dev does add CF-Connecting-IP (127.0.0.1) to local requests, so the per-IP failure
    // window is checked on every password attempt, as in production. Its threshold is lifted so
    // the unknown-user scenario keeps measuring evaluated failures rather than 429s.
    IP_FAILURES_PER_HOUR: "100000000",
  };
}

/**
 * The seed SQL: every bench user shares one hash (computed once, here in Node, in the Worker's exact
 * format): what is measured is the Worker's verification, which costs the same for any salt.
 */
export function writeSeed(path, groups) {
  const hash = hashPassword(BENCH_PASSWORD, { salt: randomBytes(16) });
  const now = Date.now();
  const rows = [];
  let serial = 0;
  const id = () => (10n ** 18n + 7_000_000_000n + BigInt(serial++)).toString();
  // wrangler's SQL splitter reads `$salt$` as a dollar-quoted string: spell `$` as char(36).
  const hashSql = `replace('${hash.replaceAll("$", "|")}', '|', char(36))`;
  const row = (username, email) =>
    `('${id()}', '${username}', ${email ? `'${email}'` : "NULL"}, ${hashSql}, 'ACTIVE', ${now}, ${now})`;
  for (const { round, passwordUsers, chainUsers, codeUsers } of groups) {
    for (let i = 0; i < passwordUsers; i++) rows.push(row(passwordUser(round, i)));
    for (let i = 0; i < passwordUsers; i++) rows.push(row(wrongPasswordUser(round, i)));
    for (let i = 0; i < chainUsers; i++) rows.push(row(chainUser(round, i)));
    for (let i = 0; i < codeUsers; i++) rows.push(row(`code-${round}-${i}`, codeEmail(round, i)));
  }
  const statements = [];
  for (let start = 0; start < rows.length; start += 400) {
    statements.push(
      "INSERT INTO users (id, username, email, password_hash, status, created_at, updated_at) VALUES\n" +
        rows.slice(start, start + 400).join(",\n") +
        ";",
    );
  }
  writeFileSync(path, statements.join("\n") + "\n");
  return rows.length;
}
