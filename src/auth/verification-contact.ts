// The contact a code goes to: a phone number or an email, in the normalised form it is stored,
// compared and sent in (contract §3), and the sender channel that reaches it.
import type { Config } from "../config";
import type { IdentifierLookup } from "../storage/users";
import { normalizeEmail, normalizePhone } from "./identifiers";

export type ContactKind = "phone" | "email";
export type Usage = "SIGN_IN" | "REGISTER" | "PASSWORD_RESET";
export const USAGES = ["SIGN_IN", "REGISTER", "PASSWORD_RESET"] as const satisfies readonly Usage[];

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

/** Usages whose tokens may sign in or sign up; a PASSWORD_RESET token proves a contact for a reset only. */
export const SIGNIN_USAGES: readonly Usage[] = ["SIGN_IN", "REGISTER"];

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
