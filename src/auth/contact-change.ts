// Binding or changing the signed-in user's phone number or email. Two ways in, each with proof:
// - PATCH /auth/v1/user/contact: a sudo token and a verification token for the new contact;
// - /user/basic/edit {email | phone} (the js-sdk's updateUser, whose request carries no proof):
//   accepted only when this same user verified this contact moments ago, with a code they asked
//   for while signed in (a proof the contact's object keeps for the token's lifetime, single use).
// A contact held by another user is `failed_precondition`. A guest who binds one becomes a regular
// user, with the same id.
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import type { UserChanges } from "../storage/users";
import { editProfile } from "./profile";
import { REAUTH_USAGES, type Contact } from "./verification-contact";
import { invalidGrant, redeem } from "./verification-token";

const takenByAnother = () =>
  new ApiError("failed_precondition", { description: "This phone number or email is already bound to another account" });

/** The D1 change that gives `contact` to the user (a guest becomes a regular user). */
const changeFor = (contact: Contact): UserChanges => ({
  ...(contact.kind === "phone" ? { phone: contact.value } : { email: contact.value }),
  anonymous: false,
});

/**
 * Refuses a contact some other user holds, in any column (a username equal to it included; read
 * from the primary: this is a write decision); true when the user holds it already as this contact.
 */
async function requireFree(services: Services, userId: string, contact: Contact): Promise<boolean> {
  const holder = await services.users.findByKeyFresh(contact.value);
  if (holder && holder.id !== userId) throw takenByAnother();
  return holder !== undefined && (contact.kind === "phone" ? holder.phone : holder.email) === contact.value;
}

/** For /user/basic/edit: the change, once the user's recent proof of the contact is used up. */
export async function provenContactChange(services: Services, userId: string, contact: Contact): Promise<UserChanges> {
  if (await requireFree(services, userId, contact)) return {}; // theirs already
  if (!(await services.contacts.takeProof(contact, userId, services.now()))) {
    throw new ApiError("failed_precondition", {
      description: "Verify this phone number or email first: a code sent while signed in, entered within 10 minutes",
    });
  }
  return changeFor(contact);
}

/** PATCH /auth/v1/user/contact: the verification token must prove exactly `contact`. */
export function bindContact(services: Services, userId: string, contact: Contact, verificationToken: string, defer: Defer): Promise<void> {
  return redeem(
    services,
    verificationToken,
    async (proven) => {
      if (proven.kind !== contact.kind || proven.value !== contact.value) throw invalidGrant();
      await requireFree(services, userId, contact);
      await editProfile(services, userId, changeFor(contact));
    },
    defer,
    REAUTH_USAGES,
  );
}
