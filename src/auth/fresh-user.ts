// A user row that reflects the account's current credentials: the replica's when it has caught up
// with the account's stamp, else the primary's. A primary that is itself behind the stamp means a
// change of credentials is half done (its D1 write failed): fail closed until it is redone.
import type { CredentialStamp } from "../accounts/credentials";
import { rowIsCurrent } from "../accounts/credentials";
import { ApiError } from "../errors";
import type { Services } from "../services";
import type { User } from "../storage/users";

/** `replicaRow` if current; otherwise the primary's row (undefined when the user is gone or deleted). */
export async function currentRow(services: Services, replicaRow: User | undefined, stamp: CredentialStamp): Promise<User | undefined> {
  if (!replicaRow || stamp.status === "DELETED") return undefined;
  if (rowIsCurrent(replicaRow.credentialVersion, stamp)) return replicaRow;
  return freshUser(services, replicaRow.id, stamp);
}

/** The primary's row of `userId`, which must have caught up with `stamp`. */
export async function freshUser(services: Services, userId: string, stamp: CredentialStamp): Promise<User | undefined> {
  if (stamp.status === "DELETED") return undefined;
  const row = await services.users.findByIdFresh(userId);
  if (row && !rowIsCurrent(row.credentialVersion, stamp)) {
    throw new ApiError("unavailable", { cause: new Error("D1 is behind the account's credential stamp") });
  }
  return row;
}
