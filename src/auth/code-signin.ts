// Verification-code sign-in (docs/protocol.md §2, §3): redeems a verification_token for a session. The
// password lockout does not apply: the token already proves possession of the phone or mailbox.
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import type { User } from "../storage/users";
import { requireEnabled } from "./switches";
import { openSession, type TokenResponse } from "./session-issuer";
import { contactLookup } from "./verification-contact";
import { redeem } from "./verification-token";

export async function signInWithVerificationToken(services: Services, token: string, defer: Defer): Promise<TokenResponse> {
  await requireEnabled(services, "verification_signin");
  // The token names its contact (sealed): the user is read from a replica while the contact's
  // object claims the token. The row is used only once the claim has succeeded.
  const routed = services.contacts.contactOf(token);
  const userRead = routed.then((contact) => contact && services.users.findByIdentifier(contactLookup(contact)));
  userRead.catch(() => {}); // awaited below, or not needed when the claim fails
  return redeem(
    services,
    token,
    async (contact) => {
      const hinted = await routed;
      const sameContact = hinted?.kind === contact.kind && hinted.value === contact.value;
      const user = sameContact ? await userRead : await services.users.findByIdentifier(contactLookup(contact));
      // The token goes back (before this answer): the client is expected to sign up with it.
      if (!user) throw new ApiError("user_not_found");
      // Blocking is revealed only to someone holding a valid token (openSession tells).
      // A row read before a contact change is read again: it must still hold this contact.
      const holdsContact = (fresh: User) => (contact.kind === "phone" ? fresh.phone : fresh.email) === contact.value;
      return openSession(services, user, holdsContact);
    },
    defer,
  );
}
