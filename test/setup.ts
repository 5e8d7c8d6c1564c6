// Applies the D1 migrations before the tests of each file (idempotent), and fails any test that
// saw an answer its operation does not declare (test/recorder.ts).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach } from "vitest";
import { takeMismatches } from "./recorder";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

afterEach(() => {
  const mismatches = takeMismatches();
  if (mismatches.length > 0) {
    throw new Error(`Answers that do not match their operation's declaration (src/routes/operation.ts):\n${mismatches.join("\n")}`);
  }
});
