// Structured auth events: one JSON line each, beside the request line, with the request id.
// Identifiers are pseudonymised (a short SHA-256); passwords, codes and tokens never appear.
import { sha256 } from "../crypto/compare";
import type { ErrorName } from "../errors";

export type SigninMethod = "password" | "verification_code" | "anonymous";

export type AuthEvent =
  | { event: "signin.succeeded"; method: SigninMethod; sub: string }
  | { event: "signin.failed"; method: SigninMethod; reason: ErrorName; account?: string }
  | { event: "account.locked"; account: string; lock_seconds: number }
  | { event: "code.sent"; channel: "sms" | "email"; usage: string; contact: string }
  | { event: "sudo.granted"; sub: string; method: SigninMethod }
  | { event: "password.changed"; sub: string; method: "reset" | "sudo" }
  | { event: "account.deleted"; sub: string }
  | { event: "signout"; sub: string; scope: string };

export function logAuthEvent(requestId: string, event: AuthEvent): void {
  console.log(JSON.stringify({ type: "auth", request_id: requestId, ...event }));
}

/**
 * A stable pseudonym for an identifier (username, phone, email) so events about one account can
 * be correlated without writing the identifier itself. Not anonymous: a known identifier can be
 * hashed and matched, which is what an operator investigating an account needs.
 */
export async function pseudonym(identifier: string): Promise<string> {
  const digest = new Uint8Array(await sha256(`edge-signin:${identifier}`));
  return `h:${[...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
