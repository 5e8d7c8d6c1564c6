// The per-isolate wiring of use cases to their real implementations (D1, Durable Objects, Web Crypto, jose).
// Everything expensive to build (config, imported keys, the pepper key) is built once.
import { configFor, type Config } from "./config";
import { PasswordHasher, PBKDF2_ITERATIONS } from "./crypto/password";
import type { Env } from "./env";
import { storageFor, type Storage } from "./storage";
import { keyRingFor, type KeyRing } from "./tokens/keys";

export interface Services extends Storage {
  config: Config;
  /** For the senders' own bindings (Cloudflare Email); storage goes through the stores. */
  env: Env;
  hasher: PasswordHasher;
  keyRing: () => Promise<KeyRing>;
  now: () => number;
}

const hashers = new Map<string, PasswordHasher>();

function hasherFor(pepper: string | undefined, rounds: number): PasswordHasher {
  const key = `${rounds}:${pepper ?? ""}`;
  let hasher = hashers.get(key);
  if (!hasher) {
    hasher = new PasswordHasher(pepper, PBKDF2_ITERATIONS, rounds);
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
      ...storageFor(env, config.jwtSigningKeys),
      hasher: hasherFor(config.passwordPepper, config.passwordHashRounds),
      keyRing: () => keyRingFor(config.jwtSigningKeys),
      now: () => Date.now(),
    };
    built.set(env, services);
  }
  return services;
}
