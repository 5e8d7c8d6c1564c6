// Redeeming a verification_token (docs/protocol.md §3), the one way every use takes: the token is claimed
// atomically in its contact's object (of concurrent redemptions exactly one gets it), the use runs,
// and if the use fails the token is given back, so the client can still use it.
import { ApiError, type ErrorName } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import { SIGNIN_USAGES, type Contact, type TokenUsages } from "./verification-contact";

export const invalidGrant = () => new ApiError("invalid_grant", { description: "The verification token is invalid, expired or used" });

// Answers after which the client goes on with the same token at once (sign up after
// user_not_found, sign in after already_exists): the token must be back before they are sent.
const RETRIED_WITH_THE_TOKEN: ReadonlySet<ErrorName> = new Set(["user_not_found", "already_exists"]);

/**
 * Claims a token of one of `usages` (sign-in/sign-up unless told; invalid_grant for any other:
 * unknown, forged, expired, used, or of another usage), runs `use` with the contact it proves, and
 * releases the token if `use` throws. Other releases go through `defer`: their answer does not wait
 * for them.
 */
export async function redeem<T>(
  services: Services,
  token: string,
  use: (contact: Contact) => Promise<T>,
  defer: Defer,
  usages: TokenUsages = SIGNIN_USAGES,
): Promise<T> {
  const claim = await services.contacts.claimToken(token, usages, services.now());
  if (!claim) throw invalidGrant();
  try {
    return await use(claim.contact);
  } catch (err) {
    const release = services.contacts.releaseToken(claim, services.now());
    if (err instanceof ApiError && RETRIED_WITH_THE_TOKEN.has(err.error)) await release;
    else defer(release);
    throw err;
  }
}
