// Profile edits by the signed-in user: name, picture, gender, description, username, and (once
// proven, contact-change.ts) phone or email. Written to the D1 primary (they are unique across the
// world); none of them is a credential, so no session ends. A new phone or email raises the
// account's credential version first: a replica that still shows the old contact is then not
// trusted for this user, so a code for the contact it gave up cannot sign it in.
import { ApiError } from "../errors";
import type { Services } from "../services";
import { UserConflictError, type Profile, type User, type UserChanges } from "../storage/users";

export const taken = () => new ApiError("failed_precondition");

/** Applies the edit; the user as written. */
export async function editProfile(services: Services, userId: string, edit: Partial<Profile> & Pick<UserChanges, "phone" | "email" | "anonymous">): Promise<User> {
  try {
    const contactChange = edit.phone !== undefined || edit.email !== undefined;
    const version = contactChange ? await services.accounts.raiseCredentialVersion(userId) : undefined;
    const user = await services.users.update(userId, edit, services.now(), version);
    // Deleted between the bearer check and the write.
    if (!user) throw new ApiError("user_not_found");
    return user;
  } catch (err) {
    if (err instanceof UserConflictError) throw taken();
    throw err;
  }
}
