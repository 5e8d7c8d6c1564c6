// Forgotten password (POST /auth/v1/reset): a verification token proves the contact, its user gets
// the new password. The contact is the token's (the body's is raw user input). Every session
// ends, and the account's failures, captcha state and lock are forgotten: the js-sdk signs in with
// the new password as its very next call.
import { ApiError } from "../errors";
import type { Defer } from "../http/background";
import type { Services } from "../services";
import { requireNewPassword, setPassword } from "./set-password";
import { contactLookup, RESET_USAGES } from "./verification-contact";
import { redeem } from "./verification-token";

/** Resets the password; the id of the user whose password it was. */
export async function resetPassword(services: Services, verificationToken: string, newPassword: string, defer: Defer): Promise<string> {
  // Checked before the token is claimed: a refused password leaves the token as it was.
  requireNewPassword(services, newPassword, "new_password");
  return redeem(
    services,
    verificationToken,
    async (contact) => {
      const user = await services.users.findByIdentifierFresh(contactLookup(contact));
      if (!user) throw new ApiError("user_not_found");
      const changed = await setPassword(services, user.id, newPassword, { clearLockout: true, passwordField: "new_password" });
      if (!changed) throw new ApiError("user_not_found");
      return user.id;
    },
    defer,
    RESET_USAGES,
  );
}
