// The OAuth 2 pieces every redirect flow shares (OpenID Connect, GitHub, WeChat): what the flow
// hands a protocol module, the authorization URL with a PKCE (S256) challenge, and oauth4webapi's
// request options (timeout, http only for a provider on this machine).
import * as oauth from "oauth4webapi";

export interface AuthorizationRequest {
  redirectUri: string;
  /** The flow id: the `state` the provider sends back to the callback. */
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface CallbackExchange {
  /** The query the provider sent to the callback. */
  parameters: URLSearchParams;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** oauth4webapi refuses http unless told; allowed only for a provider on this machine (config checks it). */
export function requestOptions(entry: { timeout_ms: number }, url: string) {
  return {
    signal: AbortSignal.timeout(entry.timeout_ms),
    [oauth.allowInsecureRequests]: new URL(url).protocol === "http:",
  };
}

/** `endpoint` with a code request for `clientId`, its PKCE challenge, and `extra` parameters. */
export async function pkceAuthorizationUrl(
  endpoint: string,
  clientId: string,
  scope: string,
  request: AuthorizationRequest,
  extra: Record<string, string> = {},
): Promise<URL> {
  const url = new URL(endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("redirect_uri", request.redirectUri);
  url.searchParams.set("scope", scope);
  url.searchParams.set("state", request.state);
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(request.codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url;
}
