// The Worker configured with the real OpenID Providers of test/providers/oidc-setup.ts, and a
// browser that walks a provider flow: it follows the provider's redirects with its cookies and
// hands the provider's return to the Worker's callback, as a browser would.
import { inject } from "vitest";
import { call, callWith, result, type CallOptions } from "../http/helpers";

export const APP_PAGE = "https://app.example/login";
export const SERVICE_CLIENT = { client_id: "edge-signin", client_secret: "edge-signin-secret-0123456789abcdef" };
export const OTHER_CLIENT = { client_id: "other-app", client_secret: "other-app-secret-0123456789abcdef" };
export const DIRECT_REDIRECT = "https://rp.test/cb";
const CALLBACK = "https://auth.test/auth/v1/provider/callback";

export const issuers = () => inject("oidcIssuers");

export type ProviderEntry = Record<string, unknown>;

/** "corp" at provider A, "partner" at provider B; per-entry overrides by id. */
export function providerEntries(overrides: Record<string, ProviderEntry> = {}): ProviderEntry[] {
  const { a, b } = issuers();
  return [
    { id: "corp", type: "oidc", issuer: a, ...SERVICE_CLIENT, ...overrides.corp },
    { id: "partner", type: "oidc", issuer: b, name: "Partner", ...SERVICE_CLIENT, ...overrides.partner },
  ];
}

export function providerVars(overrides: Record<string, ProviderEntry> = {}, vars: Record<string, string> = {}) {
  return varsWithEntries(providerEntries(overrides), vars);
}

/** The Worker's variables with `entries` as AUTH_PROVIDERS and the test app pages allowed. */
export function varsWithEntries(entries: ProviderEntry[], vars: Record<string, string> = {}) {
  return {
    AUTH_PROVIDERS: JSON.stringify(entries),
    PROVIDER_REDIRECT_URIS: `${APP_PAGE},https://other-app.example/*`,
    ...vars,
  };
}

/** A Worker call with the providers configured (and any other variable overrides). */
export function callP(vars: Record<string, string>, method: string, path: string, options: CallOptions = {}) {
  return callWith(vars, method, path, options);
}

export function providerUri(vars: Record<string, string>, query: Record<string, string>, headers: Record<string, string> = {}) {
  return callP(vars, "GET", `/auth/v1/provider/uri?${new URLSearchParams(query)}`, { headers });
}

/** A cookie jar per host, enough for a provider's session and interaction cookies. */
export class ProviderBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  private cookieHeader(url: URL): string {
    return [...(this.cookies.get(url.host) ?? new Map()).entries()].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(url: URL, response: Response): void {
    const jar = this.cookies.get(url.host) ?? new Map<string, string>();
    for (const line of (response.headers as unknown as { getSetCookie(): string[] }).getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      jar.set(pair!.slice(0, index).trim(), pair!.slice(index + 1).trim());
    }
    this.cookies.set(url.host, jar);
  }

  /**
   * Follows the provider's redirects from `start` until it sends the browser to a URL outside the
   * provider (the service's callback, or a client's redirect URI); returns that URL.
   */
  async untilLeavingProvider(start: string): Promise<URL> {
    let url = new URL(start);
    const providerHost = url.host;
    for (let hop = 0; hop < 10; hop += 1) {
      const response = await fetch(url, { redirect: "manual", headers: { cookie: this.cookieHeader(url) } });
      this.remember(url, response);
      const location = response.headers.get("location");
      if (!location) throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${await response.text()}`);
      url = new URL(location, url);
      if (url.host !== providerHost) return url;
    }
    throw new Error("too many redirects at the provider");
  }
}

export interface AppReturn {
  status: number;
  /** Where the service sent the browser (the app page with code, state and provider). */
  location: URL | undefined;
  callbackUrl: URL;
  body: Record<string, unknown>;
}

/** The whole browser side: the provider signs `login` in, and the service's callback answers. */
export async function walkFlow(vars: Record<string, string>, uri: string, login: string): Promise<AppReturn> {
  const target = new URL(decodeURIComponent(uri));
  target.searchParams.set("login_hint", login);
  const callbackUrl = await new ProviderBrowser().untilLeavingProvider(target.toString());
  if (`${callbackUrl.origin}${callbackUrl.pathname}` !== CALLBACK) throw new Error(`left the provider for ${callbackUrl}`);
  return callback(vars, callbackUrl);
}

export async function callback(vars: Record<string, string>, callbackUrl: URL): Promise<AppReturn> {
  const response = await callP(vars, "GET", `${callbackUrl.pathname}${callbackUrl.search}`);
  const location = response.headers.get("location");
  const { status, body } = await result(response);
  return { status, location: location ? new URL(location) : undefined, callbackUrl, body };
}

/** Starts a flow for `login` at `provider` and walks it to the app page. */
export async function signInAtProvider(vars: Record<string, string>, provider: string, login: string, state = "client-state-1") {
  const started = await result(await providerUri(vars, { provider_id: provider, state, redirect_uri: APP_PAGE }));
  if (started.status !== 200) throw new Error(`provider/uri answered ${started.status} ${JSON.stringify(started.body)}`);
  return walkFlow(vars, String(started.body.uri), login);
}

/** The flow up to a provider token. */
export async function providerToken(vars: Record<string, string>, provider: string, login: string): Promise<string> {
  const back = await signInAtProvider(vars, provider, login);
  const code = back.location?.searchParams.get("code");
  if (!code) throw new Error(`no code: ${back.location} ${JSON.stringify(back.body)}`);
  const redeemed = await result(
    await callP(vars, "POST", "/auth/v1/provider/token", {
      body: { provider_id: provider, provider_redirect_uri: APP_PAGE, provider_code: code },
    }),
  );
  if (redeemed.status !== 200) throw new Error(`provider/token answered ${redeemed.status}`);
  return String(redeemed.body.provider_token);
}

/** A unique login at the providers (each test its own accounts). */
export function login(prefix = "u"): string {
  return `${prefix}${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * A raw ID token from provider `issuer` for `login`, as an app's own client gets one (Google One
 * Tap, Sign in with Apple): a code flow with `client` whose redirect is intercepted.
 */
export async function idTokenFrom(issuer: string, client: { client_id: string; client_secret: string }, who: string, nonce = "n-0123456789"): Promise<string> {
  const authorize = new URL(`${issuer}/auth`);
  for (const [key, value] of Object.entries({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: DIRECT_REDIRECT,
    scope: "openid email profile",
    nonce,
    state: "direct",
    login_hint: who,
  })) {
    authorize.searchParams.set(key, value);
  }
  const back = await new ProviderBrowser().untilLeavingProvider(authorize.toString());
  const code = back.searchParams.get("code");
  if (!code) throw new Error(`no code from the provider: ${back}`);
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`,
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: DIRECT_REDIRECT }),
  });
  const body = (await response.json()) as { id_token?: string };
  if (!body.id_token) throw new Error(`no ID token: ${JSON.stringify(body)}`);
  return body.id_token;
}

/** Signs a user in through `provider` and returns the access token. */
export async function signedInThrough(vars: Record<string, string>, provider: string, who: string): Promise<{ sub: string; access: string }> {
  const token = await providerToken(vars, provider, who);
  const response = await callP(vars, "POST", "/auth/v1/signin/with/provider", { body: { provider_token: token } });
  const { status, body } = await result(response);
  if (status !== 200) throw new Error(`signin/with/provider answered ${status} ${JSON.stringify(body)}`);
  return { sub: String(body.sub), access: String(body.access_token) };
}

/** GET /auth/v1/user/me with `accessToken`. */
export const me = async (accessToken: string) => result(await call("GET", "/auth/v1/user/me", { headers: { authorization: `Bearer ${accessToken}` } }));
