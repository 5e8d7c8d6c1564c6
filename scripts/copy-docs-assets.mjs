#!/usr/bin/env node
// Copies the API reference renderer (Swagger UI's browser bundle and stylesheet) from node_modules
// into public/auth/v1/docs/vendor/, where Workers Static Assets serves it for GET /auth/v1/docs.
// Runs as the package's postinstall, so `npm ci` on a fresh clone prepares it; the copies are
// gitignored. The source-map comment is dropped (the map is not shipped).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "swagger-ui-dist");
const target = join(root, "public", "auth", "v1", "docs", "vendor");

if (!existsSync(source)) {
  // An install without devDependencies (nothing to deploy from): the docs page would lack its renderer.
  console.warn("copy-docs-assets: swagger-ui-dist is not installed; /auth/v1/docs will not render");
  process.exit(0);
}
mkdirSync(target, { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  const text = readFileSync(join(source, name), "utf8").replace(/\n?\/[/*]# sourceMappingURL=\S+(?: \*\/)?\s*$/, "\n");
  writeFileSync(join(target, name), text);
}
for (const name of ["favicon-32x32.png", "LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"]) {
  if (existsSync(join(source, name))) copyFileSync(join(source, name), join(target, name));
}
const { version } = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
writeFileSync(join(target, "VERSION"), `swagger-ui-dist ${version}\n`);
