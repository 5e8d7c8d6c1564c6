// Any OpenID Connect provider, through oauth4webapi: discovery (cached per isolate), the
// authorization URL with PKCE (S256) and a nonce, and the code exchange whose ID token is checked
// (issuer, audience, expiry, nonce) before its subject is trusted. Every call to the provider
// times out (the entry's timeout_ms) and fails closed.
import * as oauth from "oauth4webapi";
import type { ProviderIdentity } from "./flow-state";
import { nameOf, pictureOf } from "./identity-fields";
import { pkceAuthorizationUrl, requestOptions, type AuthorizationRequest, type CallbackExchange } from "./oauth2";
import type { OidcProviderConfig } from "./provider-config";
import { ProviderCallError } from "./provider-error";

const DISCOVERY_CACHE_MS = 10 * 60_000;
const discovered = new Map<string, { server: oauth.AuthorizationServer; until: number }>();

/** The provider's metadata: discovery, with the entry's overrides on top. */
export async function authorizationServer(entry: OidcProviderConfig, now = Date.now()): Promise<oauth.AuthorizationServer> {
  const overrides = {
    ...(entry.authorization_endpoint ? { authorization_endpoint: entry.authorization_endpoint } : {}),
    ...(entry.token_endpoint ? { token_endpoint: entry.token_endpoint } : {}),
    ...(entry.jwks_uri ? { jwks_uri: entry.jwks_uri } : {}),
  };
  // Everything overridden: no discovery document needed.
  if (entry.authorization_endpoint && entry.token_endpoint && entry.jwks_uri) return { issuer: entry.issuer, ...overrides };
  const key = entry.issuer;
  const cached = discovered.get(key);
  if (cached && cached.until > now) return { ...cached.server, ...overrides };
  try {
    const issuer = new URL(entry.issuer);
    const response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...requestOptions(entry, entry.issuer) });
    const server = await oauth.processDiscoveryResponse(issuer, response);
    discovered.set(key, { server, until: now + DISCOVERY_CACHE_MS });
    return { ...server, ...overrides };
  } catch (err) {
    throw new ProviderCallError(entry.id, "discovery", err);
  }
}

const clientOf = (entry: OidcProviderConfig): oauth.Client => ({ client_id: entry.client_id });
const clientAuthOf = (entry: OidcProviderConfig): oauth.ClientAuth =>
  entry.client_secret === undefined ? oauth.None() : oauth.ClientSecretBasic(entry.client_secret);

export async function oidcAuthorizationUrl(entry: OidcProviderConfig, request: AuthorizationRequest): Promise<URL> {
  const server = await authorizationServer(entry);
  if (!server.authorization_endpoint) throw new ProviderCallError(entry.id, "discovery", new Error("no authorization_endpoint"));
  return pkceAuthorizationUrl(server.authorization_endpoint, entry.client_id, entry.scope ?? "openid email profile", request, { nonce: request.nonce });
}

/** Exchanges the code at the token endpoint; the ID token's claims name the identity. */
export async function oidcExchange(entry: OidcProviderConfig, exchange: CallbackExchange): Promise<ProviderIdentity> {
  const server = await authorizationServer(entry);
  const client = clientOf(entry);
  try {
    const parameters = oauth.validateAuthResponse(server, client, exchange.parameters, exchange.state);
    const response = await oauth.authorizationCodeGrantRequest(
      server,
      client,
      clientAuthOf(entry),
      parameters,
      exchange.redirectUri,
      exchange.codeVerifier,
      requestOptions(entry, server.token_endpoint ?? entry.issuer),
    );
    const result = await oauth.processAuthorizationCodeResponse(server, client, response, {
      expectedNonce: exchange.nonce,
      requireIdToken: true,
    });
    const claims = oauth.getValidatedIdTokenClaims(result);
    if (!claims) throw new Error("no ID token");
    return identityFromClaims(entry.id, claims);
  } catch (err) {
    throw new ProviderCallError(entry.id, "token", err);
  }
}

/** The identity an ID token names; the email counts as verified only if the provider says so. */
export function identityFromClaims(provider: string, claims: Record<string, unknown>): ProviderIdentity {
  const email = typeof claims.email === "string" && claims.email.includes("@") ? claims.email.trim().toLowerCase() : null;
  const verified = claims.email_verified === true || claims.email_verified === "true";
  return { provider, subject: String(claims.sub), email, emailVerified: email !== null && verified, name: nameOf(claims.name), picture: pictureOf(claims.picture) };
}
