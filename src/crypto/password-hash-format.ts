// The self-describing stored password hash: `pbkdf2-sha256$<iterations>$<salt>$<hash>`, with the
// scheme `pbkdf2-sha256+pepper` when the password was HMAC'd with PASSWORD_PEPPER first.
import { fromBase64Url, toBase64Url } from "./encoding";

export interface PasswordHash {
  peppered: boolean;
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

const PLAIN = "pbkdf2-sha256";
const PEPPERED = "pbkdf2-sha256+pepper";

export function formatPasswordHash(value: PasswordHash): string {
  const scheme = value.peppered ? PEPPERED : PLAIN;
  return `${scheme}$${value.iterations}$${toBase64Url(value.salt)}$${toBase64Url(value.hash)}`;
}

/** Undefined for anything that is not a well-formed hash of a known scheme. Does not check limits. */
export function parsePasswordHash(stored: string): PasswordHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 4) return undefined;
  const [scheme, iterationText, saltText, hashText] = parts as [string, string, string, string];
  if (scheme !== PLAIN && scheme !== PEPPERED) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(iterationText)) return undefined;
  const salt = fromBase64Url(saltText);
  const hash = fromBase64Url(hashText);
  if (!salt || !hash || salt.byteLength < 8 || hash.byteLength < 16) return undefined;
  return { peppered: scheme === PEPPERED, iterations: Number(iterationText), salt, hash };
}
