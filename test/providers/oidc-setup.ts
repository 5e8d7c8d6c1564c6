// Two real OpenID Providers (oidc-provider, in Node: scripts/lib/test-oidc-provider.mjs) for the
// workerd tests: started once on 127.0.0.1 with free ports, their issuers handed to the tests
// through `provide`/`inject` (test/providers/helpers.ts).
import type { TestProject } from "vitest/node";
import { startTestProvider } from "../../scripts/lib/test-oidc-provider.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    oidcIssuers: { a: string; b: string };
  }
}

/** The callback of the Worker under test (ISSUER of vitest.config.ts), and the direct-token client's. */
const REDIRECT_URIS = ["https://auth.test/auth/v1/provider/callback", "https://rp.test/cb"];

const CLIENTS = [
  { client_id: "edge-signin", client_secret: "edge-signin-secret-0123456789abcdef", redirect_uris: REDIRECT_URIS },
  { client_id: "other-app", client_secret: "other-app-secret-0123456789abcdef", redirect_uris: REDIRECT_URIS },
];

export default async function setup(project: TestProject) {
  const [a, b] = await Promise.all([startTestProvider({ clients: CLIENTS }), startTestProvider({ clients: CLIENTS })]);
  project.provide("oidcIssuers", { a: a.issuer, b: b.issuer });
  return async () => {
    await Promise.all([a.stop(), b.stop()]);
  };
}
