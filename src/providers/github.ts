// Sign-in with GitHub (an OAuth 2 app, not OpenID Connect: no ID token, docs/providers.md). The
// authorization URL asks for read:user and user:email with a PKCE challenge; oauth4webapi
// exchanges the code (client secret in the body, Accept: application/json); then the REST API
// names the account: GET /user (the numeric id is the subject: a login can be renamed and reused)
// and GET /user/emails (only an email GitHub marks verified counts as verified).
import * as oauth from "oauth4webapi";
import * as v from "valibot";
import type { ProviderIdentity } from "./flow-state";
import { nameOf, pictureOf } from "./identity-fields";
import { pkceAuthorizationUrl, requestOptions, type AuthorizationRequest, type CallbackExchange } from "./oauth2";
import type { GithubProviderConfig } from "./provider-config";
import { ProviderCallError } from "./provider-error";
import { getJson } from "./provider-fetch";

/** GitHub refuses API requests without a User-Agent. */
const USER_AGENT = "edge-signin";

const GithubUser = v.object({
  id: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  login: v.string(),
  name: v.nullish(v.string()),
  avatar_url: v.nullish(v.string()),
});

const GithubEmails = v.array(v.object({ email: v.string(), primary: v.boolean(), verified: v.boolean() }));

export function githubAuthorizationUrl(entry: GithubProviderConfig, request: AuthorizationRequest): Promise<URL> {
  return pkceAuthorizationUrl(entry.authorization_endpoint, entry.client_id, entry.scope ?? "read:user user:email", request);
}

/** GitHub sends no `iss`; the issuer oauth4webapi wants is only a name here. */
const serverOf = (entry: GithubProviderConfig): oauth.AuthorizationServer => ({
  issuer: new URL(entry.authorization_endpoint).origin,
  authorization_endpoint: entry.authorization_endpoint,
  token_endpoint: entry.token_endpoint,
});

/** GitHub answers a bad code or bad client credentials with HTTP 200 and an `error` field. */
async function refuseErrorBody(response: Response): Promise<void> {
  if (response.status !== 200) return; // oauth4webapi refuses other statuses itself
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = typeof body.error === "string" && /^[a-z_]{1,64}$/.test(body.error) ? body.error : "an error";
    throw new Error(`the token endpoint answered ${error}`);
  }
}

async function accessToken(entry: GithubProviderConfig, exchange: CallbackExchange): Promise<string> {
  const server = serverOf(entry);
  const client: oauth.Client = { client_id: entry.client_id };
  try {
    const parameters = oauth.validateAuthResponse(server, client, exchange.parameters, exchange.state);
    const response = await oauth.authorizationCodeGrantRequest(
      server,
      client,
      oauth.ClientSecretPost(entry.client_secret),
      parameters,
      exchange.redirectUri,
      exchange.codeVerifier,
      { ...requestOptions(entry, entry.token_endpoint), headers: { "user-agent": USER_AGENT } },
    );
    await refuseErrorBody(response);
    return (await oauth.processAuthorizationCodeResponse(server, client, response)).access_token;
  } catch (err) {
    throw new ProviderCallError(entry.id, "token", err);
  }
}

/** The primary email if verified, else another verified one, else the primary unverified (never linked by). */
function emailOf(emails: v.InferOutput<typeof GithubEmails>): { email: string | null; emailVerified: boolean } {
  const verified = emails.filter((item) => item.verified && item.email.includes("@"));
  const chosen = verified.find((item) => item.primary) ?? verified[0] ?? emails.find((item) => item.primary && item.email.includes("@"));
  return chosen ? { email: chosen.email.trim().toLowerCase(), emailVerified: chosen.verified } : { email: null, emailVerified: false };
}

export async function githubExchange(entry: GithubProviderConfig, exchange: CallbackExchange): Promise<ProviderIdentity> {
  const token = await accessToken(entry, exchange);
  const headers = {
    authorization: `Bearer ${token}`,
    accept: "application/vnd.github+json",
    "user-agent": USER_AGENT,
    "x-github-api-version": "2022-11-28",
  };
  // api_url may carry a path (GitHub Enterprise Server: https://host/api/v3).
  const api = (path: string) => new URL(`${entry.api_url.replace(/\/+$/, "")}${path}`);
  const user = await getJson(entry, "userinfo", api("/user"), headers, GithubUser);
  const emails = await getJson(entry, "userinfo", api("/user/emails"), headers, GithubEmails);
  return {
    provider: entry.id,
    subject: String(user.id),
    ...emailOf(emails),
    name: nameOf(user.name) ?? nameOf(user.login),
    picture: pictureOf(user.avatar_url),
  };
}
