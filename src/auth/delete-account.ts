// Deleting a user (by the user itself, or an admin). Sessions end and the stamp says "deleted"
// before the row goes, so no replica copy of the row can sign anyone in meanwhile.
import type { Services } from "../services";

/** False when there was no such user. */
export async function deleteAccount(services: Services, userId: string): Promise<boolean> {
  await services.accounts.markDeleted(userId);
  return services.users.delete(userId);
}
