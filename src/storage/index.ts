// The storage layer, built from the bindings: the only code that touches D1 or a Durable Object
// namespace. Use cases call these stores by what they do; none of them picks a binding.
import type { Env } from "../env";
import { AccountStore } from "./accounts";
import { durableCaptchaChallenges, type CaptchaChallengeStore } from "./captcha-challenges";
import { DurableContactStore, type ContactStore } from "./contacts";
import { D1IdentityStore } from "./identities";
import { ProviderFlowStore } from "./provider-flows";
import { RateWindowStore } from "./rate-windows";
import { SettingsStore } from "./settings";
import { D1UserStore } from "./users";

export interface Storage {
  /** The user directory in D1 (hot reads from a replica). */
  users: D1UserStore;
  /** Identities at other providers linked to users, in D1. */
  identities: D1IdentityStore;
  /** Lockout, sessions and the credential stamp: a Durable Object per account. */
  accounts: AccountStore;
  /** Tries and single use of image-captcha challenges: a Durable Object per challenge. */
  captchaChallenges: CaptchaChallengeStore;
  /** Codes, per-contact limits and verification tokens: a Durable Object per contact. */
  contacts: ContactStore;
  /** Provider sign-in flows (state, one-time code, provider token): a Durable Object per flow. */
  providerFlows: ProviderFlowStore;
  /** Per-IP limits: a Durable Object per limited key. */
  rateWindows: RateWindowStore;
  /** Admin switches in D1. */
  settings: SettingsStore;
}

/** `routeSecret`: the secret that keys the contact sealed in verification ids and tokens. */
export function storageFor(env: Env, routeSecret: string): Storage {
  return {
    users: new D1UserStore(env.DB),
    identities: new D1IdentityStore(env.DB),
    accounts: new AccountStore(env),
    captchaChallenges: durableCaptchaChallenges(env),
    contacts: new DurableContactStore(env, routeSecret),
    providerFlows: new ProviderFlowStore(env),
    rateWindows: new RateWindowStore(env),
    settings: new SettingsStore(env.DB),
  };
}
