// JWT_SIGNING_KEYS (a JWK Set of private keys) -> imported signing keys and the public JWKS.
// Imported once per isolate and per secret value: key import is not on the sign-in hot path.
import { importJWK, type CryptoKey, type JWK } from "jose";
import * as v from "valibot";
import { ConfigError } from "../config";

export type SigningAlg = "ES256" | "EdDSA";

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface KeyRing {
  /** The first key of the set: it signs every new token. */
  current: SigningKey;
  byKid: Map<string, SigningKey>;
  jwks: { keys: JWK[] };
}

const PrivateJwk = v.variant("kty", [
  v.object({
    kty: v.literal("EC"),
    crv: v.literal("P-256"),
    alg: v.literal("ES256"),
    kid: v.pipe(v.string(), v.nonEmpty()),
    x: v.string(),
    y: v.string(),
    d: v.string(),
  }),
  v.object({
    kty: v.literal("OKP"),
    crv: v.literal("Ed25519"),
    alg: v.literal("EdDSA"),
    kid: v.pipe(v.string(), v.nonEmpty()),
    x: v.string(),
    d: v.string(),
  }),
]);
const PrivateJwkSet = v.object({ keys: v.pipe(v.array(PrivateJwk), v.minLength(1)) });

/** The public half of a private JWK: only the members a verifier needs, never `d`. */
function publicPart(jwk: v.InferOutput<typeof PrivateJwk>): JWK {
  const common = { kid: jwk.kid, alg: jwk.alg, use: "sig" };
  return jwk.kty === "EC"
    ? { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y, ...common }
    : { kty: "OKP", crv: jwk.crv, x: jwk.x, ...common };
}

async function importKeyRing(secret: string): Promise<KeyRing> {
  let parsed: v.InferOutput<typeof PrivateJwkSet>;
  try {
    parsed = v.parse(PrivateJwkSet, JSON.parse(secret));
  } catch {
    throw new ConfigError(
      'Configuration variable JWT_SIGNING_KEYS must be a JWK Set {"keys":[...]} of ES256 (P-256) or EdDSA (Ed25519) private keys, each with kid and alg',
    );
  }
  const keys: SigningKey[] = [];
  for (const jwk of parsed.keys) {
    const publicJwk = publicPart(jwk);
    try {
      keys.push({
        kid: jwk.kid,
        alg: jwk.alg,
        privateKey: (await importJWK(jwk, jwk.alg)) as CryptoKey,
        publicKey: (await importJWK(publicJwk, jwk.alg)) as CryptoKey,
        publicJwk,
      });
    } catch {
      throw new ConfigError(`Configuration variable JWT_SIGNING_KEYS has a key that cannot be imported (kid ${jwk.kid})`);
    }
  }
  const byKid = new Map(keys.map((key) => [key.kid, key]));
  if (byKid.size !== keys.length) throw new ConfigError("Configuration variable JWT_SIGNING_KEYS has duplicate kids");
  return { current: keys[0]!, byKid, jwks: { keys: keys.map((key) => key.publicJwk) } };
}

const rings = new Map<string, Promise<KeyRing>>();

export function keyRingFor(secret: string): Promise<KeyRing> {
  let ring = rings.get(secret);
  if (!ring) {
    ring = importKeyRing(secret);
    // A failed import is not cached, so fixing the secret takes effect on the next request.
    ring.catch(() => rings.delete(secret));
    rings.set(secret, ring);
  }
  return ring;
}
