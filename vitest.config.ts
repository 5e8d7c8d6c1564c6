// Tests run inside workerd with the Worker of wrangler.toml, real D1 and real Durable Objects.
import { generateKeyPairSync } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// An ephemeral signing key per run: CI has no .dev.vars and needs no secrets.
function ephemeralSigningKeys(): string {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  return JSON.stringify({ keys: [{ ...jwk, kid: "test-key-1", alg: "ES256" }] });
}

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          JWT_SIGNING_KEYS: ephemeralSigningKeys(),
          ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
          ISSUER: "https://auth.test",
          AUDIENCE: "test-audience",
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
        },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    // The Worker logs one JSON line per request; tests that care capture them with a spy.
    onConsoleLog: () => false,
  },
});
