// Usernames, phone numbers and emails: the exact rules of contract §2 and §3, and the
// normalised forms they are stored and compared in.
import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import type { IdentifierLookup } from "../storage/users";

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:+@-]{1,47}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;

/**
 * `+86 13800138000`, `+8613800138000`, or a space in the wrong place (`+85 212345678`) -> the
 * spaced form `+86 13800138000`; undefined when it is not a valid number for its country.
 */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.replaceAll(" ", "");
  if (!/^\+[0-9]{4,17}$/.test(compact)) return undefined;
  const parsed = parsePhoneNumberFromString(compact);
  if (!parsed?.isValid()) return undefined;
  return `+${parsed.countryCallingCode} ${parsed.nationalNumber}`;
}

/** Trimmed and lower-cased as a whole; undefined when it is not an address. */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email) ? email : undefined;
}

export interface SigninIdentifier {
  lookup: IdentifierLookup;
  /** The normalised identifier: the lockout key when no user has it. */
  normalized: string;
}

/**
 * What the `username` field of a password sign-in may hold: a username, or (as the official
 * js-sdk sends it) the user's phone number or email. Undefined when it is none of them.
 */
export function parseSigninIdentifier(raw: string): SigninIdentifier | undefined {
  if (USERNAME_PATTERN.test(raw)) {
    const email = raw.includes("@") ? normalizeEmail(raw) : undefined;
    return email
      ? { lookup: { username: raw, email }, normalized: `email:${email}` }
      : { lookup: { username: raw }, normalized: `username:${raw}` };
  }
  if (raw.trimStart().startsWith("+")) {
    const phone = normalizePhone(raw);
    return phone ? { lookup: { phone }, normalized: `phone:${phone}` } : undefined;
  }
  const email = normalizeEmail(raw);
  return email ? { lookup: { email }, normalized: `email:${email}` } : undefined;
}
