// Usernames, phone numbers and emails: the exact rules of docs/protocol.md §2 and §3, and the
// normalised forms they are stored and compared in.
import { parsePhoneNumberFromString } from "libphonenumber-js/min";

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:+@-]{1,47}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;

// Control, format (zero-width, bidi overrides and isolates, soft hyphen, BOM) and private-use
// characters, and surrogates (with the u flag only lone ones can match): invisible or reordering
// characters let two contacts look the same to a person and differ to the service.
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;

/** Whether a contact as typed holds a character no phone number or address may hold. */
export const hasHiddenCharacters = (raw: string) => !raw.isWellFormed() || HIDDEN_CHARACTERS.test(raw);

/**
 * `+86 13800138000`, `+8613800138000`, or a space in the wrong place (`+85 212345678`) -> the
 * spaced form `+86 13800138000`; undefined when it is not a valid number for its country.
 */
export function normalizePhone(raw: string): string | undefined {
  if (hasHiddenCharacters(raw)) return undefined;
  const compact = raw.replaceAll(" ", "");
  if (!/^\+[0-9]{4,17}$/.test(compact)) return undefined;
  const parsed = parsePhoneNumberFromString(compact);
  if (!parsed?.isValid()) return undefined;
  return `+${parsed.countryCallingCode} ${parsed.nationalNumber}`;
}

/**
 * Trimmed and lower-cased as a whole, a trailing dot of the domain (`example.com.`, the same
 * host in DNS) dropped; undefined when it is not an address, has an empty domain label or holds
 * a hidden character.
 */
export function normalizeEmail(raw: string): string | undefined {
  if (hasHiddenCharacters(raw)) return undefined;
  const email = raw.trim().toLowerCase().replace(/\.$/, "");
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (domain.split(".").some((label) => label === "")) return undefined;
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email) ? email : undefined;
}

/**
 * The mailbox a normalised address delivers to, for per-contact limits: `+tag` dropped from the
 * local part (`user+news@example.com` -> `user@example.com`). Codes still go to the address as given.
 */
export function canonicalMailbox(email: string): string {
  const at = email.lastIndexOf("@");
  const plus = email.indexOf("+");
  return plus > 0 && plus < at ? email.slice(0, plus) + email.slice(at) : email;
}

/**
 * The key a username is held under in the table of identifiers (migrations/0012_user_identifiers.sql,
 * whose view computes the same in SQL): the username as written, or, for one that reads as an email,
 * that email normalised. So a username can never equal (any case of) another user's email.
 */
export const usernameKey = (username: string) => (username.includes("@") ? normalizeEmail(username) : undefined) ?? username;

export interface SigninIdentifier {
  /** The identifier's key: the one account that holds it, in any column, is the one it names. */
  key: string;
  /** The normalised identifier: the lockout key when no user has it. */
  normalized: string;
}

/**
 * What the `username` field of a password sign-in may hold: a username, or (as the official
 * js-sdk sends it) the user's phone number or email. Undefined when it is none of them.
 */
export function parseSigninIdentifier(raw: string): SigninIdentifier | undefined {
  if (USERNAME_PATTERN.test(raw)) {
    // The same key as usernameKey: a username that reads as an email is looked up as that email.
    const email = raw.includes("@") ? normalizeEmail(raw) : undefined;
    return email ? { key: email, normalized: `email:${email}` } : { key: raw, normalized: `username:${raw}` };
  }
  if (raw.trimStart().startsWith("+")) {
    const phone = normalizePhone(raw);
    return phone ? { key: phone, normalized: `phone:${phone}` } : undefined;
  }
  const email = normalizeEmail(raw);
  return email ? { key: email, normalized: `email:${email}` } : undefined;
}
