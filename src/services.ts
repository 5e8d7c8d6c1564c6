// The per-isolate wiring of use cases to their real implementations (D1, Durable Objects, Web Crypto, jose).
// Everything expensive to build (config, imported keys, the pepper key) is built once.
import { configFor, type Config } from "./config";
import { PasswordHasher } from "./crypto/password";
import type { Env } from "./env";
import { AccountStore } from "./storage/accounts";
import { durableCaptchaChallenges, type CaptchaChallengeStore } from "./storage/captcha-challenges";
import { DurableContactStore, type ContactStore } from "./storage/contacts";
import { D1UserStore } from "./storage/users";
import { keyRingFor, type KeyRing } from "./tokens/keys";

export interface Services {
  config: Config;
  env: Env;
  users: D1UserStore;
  /** Lockout, sessions and the credential stamp: a Durable Object per account. */
  accounts: AccountStore;
  captchaChallenges: CaptchaChallengeStore;
  /** Codes, per-contact limits and verification tokens: a Durable Object per contact. */
  contacts: ContactStore;
  hasher: PasswordHasher;
  keyRing: () => Promise<KeyRing>;
  now: () => number;
}

const hashers = new Map<string, PasswordHasher>();

function hasherFor(pepper: string | undefined): PasswordHasher {
  const key = pepper ?? "";
  let hasher = hashers.get(key);
  if (!hasher) {
    hasher = new PasswordHasher(pepper);
    hashers.set(key, hasher);
  }
  return hasher;
}

const built = new WeakMap<object, Services>();

export function servicesFor(env: Env): Services {
  let services = built.get(env);
  if (!services) {
    const config = configFor(env);
    services = {
      config,
      env,
      users: new D1UserStore(env.DB),
      accounts: new AccountStore(env),
      captchaChallenges: durableCaptchaChallenges(env),
      contacts: new DurableContactStore(env),
      hasher: hasherFor(config.passwordPepper),
      keyRing: () => keyRingFor(config.jwtSigningKeys),
      now: () => Date.now(),
    };
    built.set(env, services);
  }
  return services;
}
