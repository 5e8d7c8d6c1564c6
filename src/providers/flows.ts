// The redirect flow of provider sign-in (docs/providers.md). The clients send no PKCE verifier and
// return to an app page, so the service itself is the provider's redirect target:
//   /provider/uri      keeps {client state, app page, PKCE verifier, nonce} in a flow object and
//                      sends the user to the provider with the flow id as `state`;
//   /provider/callback takes the flow once, exchanges the provider's code, and returns to the
//                      allow-listed app page with a one-time code and the client's state;
//   /provider/token    redeems that code (once, for that provider and page) for a provider token,
//                      which one sign-in, bind or sign-up then spends.
import type { ProviderToken } from "../api/answers";
import { sha256Base64Url as hashSecret } from "../crypto/compare";
import { randomToken } from "../crypto/random";
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { ProviderIdentity } from "./flow-state";
import { isAllowedRedirect, type ProviderConfig } from "./provider-config";
import { ProviderCallError } from "./provider-error";
import { protocolOf } from "./protocols";

/** How long a user may take at the provider. */
export const FLOW_TTL_MS = 10 * 60_000;
/** How long the app page has to redeem the one-time code. */
export const CODE_TTL_MS = 5 * 60_000;
/** How long a provider token stays good for one sign-in, bind or sign-up. */
export const PROVIDER_TOKEN_TTL_SECONDS = 600;

/** One-time codes and provider tokens: `<flow id>.<secret>`; the flow id routes to the object. */
const FLOW_SECRET = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function parseFlowSecret(value: string): { flowId: string; secret: string } | undefined {
  const match = FLOW_SECRET.exec(value);
  return match ? { flowId: match[1]!, secret: match[2]! } : undefined;
}

export function configuredProvider(services: Services, providerId: string): ProviderConfig {
  const entry = services.config.providers.get(providerId);
  if (!entry) {
    throw new ApiError("invalid_argument", { details: [{ path: "provider_id", message: "no such provider is configured" }] });
  }
  return entry;
}

export interface FlowRequest {
  providerId: string;
  clientState: string;
  appPage: string;
}

/** Starts a flow; returns the provider's authorization URL. */
export async function startFlow(services: Services, request: FlowRequest): Promise<string> {
  const entry = configuredProvider(services, request.providerId);
  if (!isAllowedRedirect(services.config.providerRedirectUris, request.appPage)) {
    throw new ApiError("invalid_argument", {
      details: [{ path: "redirect_uri", message: "not an app page allowed by PROVIDER_REDIRECT_URIS" }],
    });
  }
  const flowId = randomToken(16);
  const start = {
    provider: entry.id,
    clientState: request.clientState,
    appPage: request.appPage,
    codeVerifier: randomToken(32),
    nonce: randomToken(16),
  };
  let url: URL;
  try {
    url = await protocolOf(entry).authorizationUrl(entry, {
      redirectUri: services.config.providerCallbackUrl,
      state: flowId,
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
    });
  } catch (err) {
    // The provider's discovery failed or timed out: no flow starts (503, the cause logged).
    if (err instanceof ProviderCallError) throw new ApiError("unavailable", { cause: err });
    throw err;
  }
  if (!(await services.providerFlows.start(flowId, start, services.now() + FLOW_TTL_MS))) throw new ApiError("unavailable");
  return url.toString();
}

/** Where the callback sends the browser: the app page, with a one-time code or an error, and the client's state. */
function appRedirect(appPage: string, providerId: string, clientState: string, outcome: { code: string } | { error: string }): string {
  const url = new URL(appPage);
  if ("code" in outcome) url.searchParams.set("code", outcome.code);
  else url.searchParams.set("error", outcome.error);
  url.searchParams.set("state", clientState);
  url.searchParams.set("provider", providerId);
  return url.toString();
}

export type CallbackOutcome = { redirect: string; failure?: { provider: string; cause: unknown } };

/**
 * The provider's return. An unknown, expired or replayed flow is refused (`invalid_grant`); any
 * other failure returns to the app page with `error` and no code.
 */
export async function finishCallback(services: Services, parameters: URLSearchParams): Promise<CallbackOutcome> {
  const flowId = parameters.get("state") ?? "";
  if (!/^[A-Za-z0-9_-]{22}$/.test(flowId)) throw new ApiError("invalid_grant", { description: "Unknown sign-in flow" });
  const start = await services.providerFlows.takeStart(flowId);
  if (!start) throw new ApiError("invalid_grant", { description: "The sign-in flow is unknown, expired or already used" });
  const back = (outcome: { code: string } | { error: string }) => appRedirect(start.appPage, start.provider, start.clientState, outcome);
  const entry = services.config.providers.get(start.provider);
  if (!entry) return { redirect: back({ error: "server_error" }) };
  if (parameters.has("error")) {
    // The user declined, or the provider refused: its error name only (a fixed vocabulary).
    const error = /^[a-z_]{1,64}$/.test(parameters.get("error")!) ? parameters.get("error")! : "access_denied";
    return { redirect: back({ error }) };
  }
  let identity: ProviderIdentity;
  try {
    identity = await protocolOf(entry).exchange(entry, {
      parameters,
      redirectUri: services.config.providerCallbackUrl,
      state: flowId,
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
    });
  } catch (err) {
    if (!(err instanceof ProviderCallError)) throw err;
    return { redirect: back({ error: "server_error" }), failure: { provider: entry.id, cause: err } };
  }
  const secret = randomToken(32);
  const issued = await services.providerFlows.issueCode(flowId, identity, await hashSecret(secret), services.now() + CODE_TTL_MS);
  if (!issued) throw new ApiError("invalid_grant", { description: "The sign-in flow is unknown, expired or already used" });
  return { redirect: back({ code: `${flowId}.${secret}` }) };
}

export interface CodeRedemption {
  providerId: string;
  appPage: string;
  code: string;
}

/** Redeems a one-time code for a provider token (once, for the provider and page it was issued to). */
export async function redeemProviderCode(services: Services, redemption: CodeRedemption): Promise<ProviderToken> {
  configuredProvider(services, redemption.providerId);
  const parsed = parseFlowSecret(redemption.code);
  if (!parsed) throw new ApiError("invalid_grant", { description: "The provider code is invalid, expired or used" });
  const tokenSecret = randomToken(32);
  const identity = await services.providerFlows.redeemCode(parsed.flowId, {
    codeHash: await hashSecret(parsed.secret),
    provider: redemption.providerId,
    appPage: redemption.appPage,
    tokenHash: await hashSecret(tokenSecret),
    tokenExpiresAt: services.now() + PROVIDER_TOKEN_TTL_SECONDS * 1000,
  });
  if (!identity) throw new ApiError("invalid_grant", { description: "The provider code is invalid, expired or used" });
  return { provider_token: `${parsed.flowId}.${tokenSecret}`, expires_in: PROVIDER_TOKEN_TTL_SECONDS };
}

/** A provider token's identity, and how to spend the token once the caller has decided to use it. */
export interface PresentedIdentity {
  identity: ProviderIdentity;
  /** True once; false when a concurrent request spent it first. */
  spend: () => Promise<boolean>;
}

export async function identityOfProviderToken(services: Services, token: string): Promise<PresentedIdentity | undefined> {
  const parsed = parseFlowSecret(token);
  if (!parsed) return undefined;
  const tokenHash = await hashSecret(parsed.secret);
  const identity = await services.providerFlows.peekToken(parsed.flowId, tokenHash);
  if (!identity) return undefined;
  return { identity, spend: () => services.providerFlows.spendToken(parsed.flowId, tokenHash) };
}
