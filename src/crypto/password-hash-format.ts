// The self-describing stored password hash: `pbkdf2-sha256$<iterations>$<salt>$<hash>`, with the
// scheme `pbkdf2-sha256+pepper` when the password was HMAC'd with PASSWORD_PEPPER first, and
// `<iterations>x<rounds>` when PBKDF2 ran `rounds` times chained (PASSWORD_HASH_ROUNDS > 1).
import { fromBase64Url, toBase64Url } from "./encoding";

export interface PasswordHash {
  peppered: boolean;
  iterations: number;
  /** Chained PBKDF2 runs, each of `iterations` (1 is written without the `x<rounds>` suffix). */
  rounds: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

const PLAIN = "pbkdf2-sha256";
const PEPPERED = "pbkdf2-sha256+pepper";

export function formatPasswordHash(value: PasswordHash): string {
  const scheme = value.peppered ? PEPPERED : PLAIN;
  const cost = value.rounds === 1 ? String(value.iterations) : `${value.iterations}x${value.rounds}`;
  return `${scheme}$${cost}$${toBase64Url(value.salt)}$${toBase64Url(value.hash)}`;
}

/** Undefined for anything that is not a well-formed hash of a known scheme. Does not check limits. */
export function parsePasswordHash(stored: string): PasswordHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 4) return undefined;
  const [scheme, iterationText, saltText, hashText] = parts as [string, string, string, string];
  if (scheme !== PLAIN && scheme !== PEPPERED) return undefined;
  const cost = /^([1-9][0-9]{0,9})(?:x([1-9][0-9]?))?$/.exec(iterationText);
  if (!cost) return undefined;
  const salt = fromBase64Url(saltText);
  const hash = fromBase64Url(hashText);
  if (!salt || !hash || salt.byteLength < 8 || hash.byteLength < 16) return undefined;
  return { peppered: scheme === PEPPERED, iterations: Number(cost[1]), rounds: Number(cost[2] ?? 1), salt, hash };
}
