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

// Two projects: "workers" (everything but test/browser/, inside workerd) and "node" (test/browser/:
// a real `wrangler dev` and headless Chromium, started once by test/browser/global-setup.ts).
export default defineConfig({
  test: {
    // The Worker logs one JSON line per request; tests that care capture them with a spy. (A root
    // option: vitest reads it for all projects.)
    onConsoleLog: () => false,
    projects: [
      {
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
          name: "workers",
          // The compat tests drive whole client flows (several seconds on 2 shared cores).
          testTimeout: 20_000,
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**"],
          setupFiles: ["./test/setup.ts"],
          // Real OpenID Providers, and stand-ins for GitHub and WeChat, in Node for the provider
          // sign-in tests (test/providers/).
          globalSetup: ["./test/providers/oidc-setup.ts", "./test/providers/oauth-setup.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["./test/browser/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
