// Structured auth events: one JSON line each, beside the request line, with the request id.
// Identifiers are pseudonymised (a short keyed HMAC); passwords, codes and tokens never appear.
import { keyedDigest } from "../crypto/keyed-hash";
import type { ErrorName } from "../errors";

export type SigninMethod = "password" | "verification_code" | "provider" | "anonymous";

export type AuthEvent =
  | { event: "signin.succeeded"; method: SigninMethod; sub: string; provider?: string }
  | { event: "signin.failed"; method: SigninMethod; reason: ErrorName; account?: string; provider?: string }
  | { event: "identity.linked" | "identity.unlinked"; provider: string; sub: string }
  | { event: "provider.failed"; provider: string; message: string }
  | { event: "account.locked"; account: string; lock_seconds: number }
  | { event: "code.sent"; channel: "sms" | "email"; usage: string; contact: string }
  /** The service's daily send budget of a channel (SENDS_PER_DAY) was just used up. */
  | { event: "sends.budget_reached"; channel: "sms" | "email"; limit: number }
  | { event: "sudo.granted"; sub: string; method: SigninMethod }
  | { event: "password.changed"; sub: string; method: "reset" | "sudo" }
  | { event: "account.deleted"; sub: string }
  | { event: "signout"; sub: string; scope: string };

export function logAuthEvent(requestId: string, event: AuthEvent): void {
  console.log(JSON.stringify({ type: "auth", request_id: requestId, ...event }));
}

/**
 * A stable pseudonym for an identifier (username, phone, email) so events about one account can
 * be correlated without writing the identifier itself: a keyed HMAC (`secret` is the signing-key
 * secret), so someone who reads the logs cannot match them against a list of phone numbers. An
 * operator who holds the secret can compute the pseudonym of a known identifier to find it.
 */
export async function pseudonym(identifier: string, secret: string): Promise<string> {
  const digest = await keyedDigest(secret, "edge-signin/pseudonym/v1", identifier);
  return `h:${[...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
