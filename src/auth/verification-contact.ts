// The contact a code goes to: a phone number or an email, in the normalised form it is stored,
// compared and sent in (docs/protocol.md §3), and the sender channel that reaches it.
import type { Config } from "../config";
import type { IdentifierLookup } from "../storage/users";
import { normalizeEmail, normalizePhone } from "./identifiers";

export type ContactKind = "phone" | "email";
export type Usage = "SIGN_IN" | "REGISTER" | "PASSWORD_RESET" | "REAUTHENTICATION";
export const USAGES = ["SIGN_IN", "REGISTER", "PASSWORD_RESET", "REAUTHENTICATION"] as const satisfies readonly Usage[];

export interface Contact {
  kind: ContactKind;
  /** "+86 13800138000" or "user@example.com". */
  value: string;
}

export function channelOf(contact: Contact): "sms" | "email" {
  return contact.kind === "phone" ? "sms" : "email";
}

/** The user lookup that finds whoever holds this contact. */
export function contactLookup(contact: Contact): IdentifierLookup {
  return contact.kind === "phone" ? { phone: contact.value } : { email: contact.value };
}

/** The usages a token may have for one use, per kind of contact it proves. */
export type TokenUsages = Readonly<Record<ContactKind, readonly Usage[]>>;

/** Sign-in and sign-up; a PASSWORD_RESET or REAUTHENTICATION token proves a contact for its own use only. */
export const SIGNIN_USAGES: TokenUsages = { phone: ["SIGN_IN", "REGISTER"], email: ["SIGN_IN", "REGISTER"] };

/**
 * A password reset. The js-sdk asks an email code with `usage: "recovery"` (PASSWORD_RESET) but a
 * phone code with no usage at all (SIGN_IN), and a phone's SIGN_IN token signs in anyway.
 */
export const RESET_USAGES: TokenUsages = { phone: ["PASSWORD_RESET", "SIGN_IN"], email: ["PASSWORD_RESET"] };

/**
 * Proving a contact again while signed in (sudo, binding a contact): the js-sdk asks an email code
 * with `usage: "reauthentication"` and a phone code with no usage; either way the user is signed in.
 */
export const REAUTH_USAGES: TokenUsages = { phone: ["REAUTHENTICATION", "SIGN_IN"], email: ["REAUTHENTICATION", "SIGN_IN"] };

// TEST_OTP keys are written by hand: normalise them once, so "+8613800138000" also matches.
const normalisedTestOtp = new WeakMap<Map<string, string>, Map<string, string>>();

/** The fixed development code for a contact (TEST_OTP), if any. */
export function testCodeFor(config: Config, contact: Contact): string | undefined {
  let codes = normalisedTestOtp.get(config.testOtp);
  if (!codes) {
    codes = new Map();
    for (const [key, code] of config.testOtp) {
      const normalised = key.trim().startsWith("+") ? normalizePhone(key) : normalizeEmail(key);
      codes.set(normalised ?? key, code);
    }
    normalisedTestOtp.set(config.testOtp, codes);
  }
  return codes.get(contact.value);
}
