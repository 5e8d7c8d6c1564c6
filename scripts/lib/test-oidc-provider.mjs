// A real OpenID Provider (oidc-provider) for tests and local development: whoever the
// authorization request names in `login_hint` (default "alice") is signed in and consents at once.
// Account `<name>` has the email `<name>@idp.test`, verified unless the name starts with
// "unverified". Development only: in-memory state and generated keys.
import { createServer } from "node:http";
import Provider from "oidc-provider";

function claimsOf(accountId) {
  return {
    sub: accountId,
    email: `${accountId}@idp.test`,
    email_verified: !accountId.startsWith("unverified"),
    name: `Name of ${accountId}`,
  };
}

/** Starts a provider on 127.0.0.1 (`port` 0: a free one); resolves to its issuer and a stop(). */
export async function startTestProvider({ port = 0, clients }) {
  const server = createServer();
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({ ...client, grant_types: ["authorization_code"], response_types: ["code"] })),
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
  return { issuer, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
