// Two real OpenID Providers (oidc-provider, in Node) for the workerd tests: started once on
// 127.0.0.1 with free ports, their issuers handed to the tests through `provide`/`inject`.
// Whoever the authorization request names in `login_hint` is signed in and consents at once
// (no pages to fill in); `unverified-*` accounts have an email the provider does not vouch for.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    oidcIssuers: { a: string; b: string };
  }
}

/** The callback of the Worker under test (ISSUER of vitest.config.ts). */
export const SERVICE_CALLBACK = "https://auth.test/auth/v1/provider/callback";
/** Where tests that want a raw ID token (signInWithIdToken) send the provider back to. */
export const DIRECT_REDIRECT = "https://rp.test/cb";

export const OIDC_CLIENTS = {
  service: { client_id: "edge-signin", client_secret: "edge-signin-secret-0123456789abcdef" },
  other: { client_id: "other-app", client_secret: "other-app-secret-0123456789abcdef" },
};

function claimsOf(accountId: string) {
  return {
    sub: accountId,
    email: `${accountId}@idp.test`,
    email_verified: !accountId.startsWith("unverified"),
    name: `Name of ${accountId}`,
  };
}

async function startProvider(): Promise<{ issuer: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = [OIDC_CLIENTS.service, OIDC_CLIENTS.other].map((client) => ({
    ...client,
    redirect_uris: [SERVICE_CALLBACK, DIRECT_REDIRECT],
    grant_types: ["authorization_code"],
    response_types: ["code"],
  }));
  const provider = new Provider(issuer, {
    clients,
    cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Claims in the ID token itself, as most providers (and signInWithIdToken) have them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => false },
    findAccount: (_ctx, accountId) => ({ accountId, claims: () => claimsOf(accountId) }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  const callback = provider.callback();
  server.on("request", async (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const accountId = String(details.params.login_hint ?? "alice");
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });
  return { issuer, server };
}

export default async function setup(project: TestProject) {
  const [a, b] = await Promise.all([startProvider(), startProvider()]);
  project.provide("oidcIssuers", { a: a.issuer, b: b.issuer });
  return async () => {
    await Promise.all([a, b].map(({ server }) => new Promise((resolve) => server.close(resolve))));
  };
}
