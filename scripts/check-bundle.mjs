// Fails when the deployable bundle (from `wrangler deploy --dry-run --outdir DIR`) is over its
// gzipped size budget. Usage: node scripts/check-bundle.mjs DIR [budget KiB, default 100]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const [dir, budgetArg = "100"] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node scripts/check-bundle.mjs DIR [budget KiB]");
  process.exit(2);
}
const budget = Number(budgetArg) * 1024;
let total = 0;
for (const name of readdirSync(dir).filter((file) => /\.(m?js|wasm)$/.test(file))) {
  const bytes = readFileSync(join(dir, name));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log(`bundle ${name}: ${(bytes.length / 1024).toFixed(1)} KiB, gzipped ${(gzipped / 1024).toFixed(1)} KiB`);
}
const verdict = total <= budget ? "within" : "OVER";
console.log(`bundle total gzipped ${(total / 1024).toFixed(1)} KiB: ${verdict} the ${budgetArg} KiB budget`);
process.exit(total <= budget ? 0 : 1);
