// Which protocol each entry type speaks in the redirect flow (src/providers/flows.ts): everything
// else (flow state, one-time codes, accounts, switches, limits) is the same for every type.
import type { ProviderIdentity } from "./flow-state";
import { githubAuthorizationUrl, githubExchange } from "./github";
import type { AuthorizationRequest, CallbackExchange } from "./oauth2";
import { oidcAuthorizationUrl, oidcExchange } from "./oidc";
import type { ProviderConfig } from "./provider-config";
import { wechatAuthorizationUrl, wechatExchange } from "./wechat";

interface Protocol<Entry> {
  /** Where the user goes to sign in. A ProviderCallError when the provider cannot be asked (discovery). */
  authorizationUrl(entry: Entry, request: AuthorizationRequest): Promise<URL> | URL;
  /** The identity behind the provider's return. Any failure is a ProviderCallError. */
  exchange(entry: Entry, exchange: CallbackExchange): Promise<ProviderIdentity>;
}

const PROTOCOLS: { [Type in ProviderConfig["type"]]: Protocol<Extract<ProviderConfig, { type: Type }>> } = {
  oidc: { authorizationUrl: oidcAuthorizationUrl, exchange: oidcExchange },
  github: { authorizationUrl: githubAuthorizationUrl, exchange: githubExchange },
  wechat: { authorizationUrl: wechatAuthorizationUrl, exchange: wechatExchange },
};

/** The table is keyed by type, so each entry meets the protocol of its own type. */
export const protocolOf = (entry: ProviderConfig) => PROTOCOLS[entry.type] as Protocol<ProviderConfig>;
