// The account's credential stamp: a version that every change of password or status raises, kept
// strongly consistent by the account's Durable Object. D1 read replicas may lag; a user row read
// from one is trusted only when its `credential_version` has caught up with the stamp, so a stale
// replica never lets a changed password, a blocked or a deleted user in (docs/architecture.md).

export type AccountStatus = "ACTIVE" | "BLOCKED" | "DELETED";

export interface CredentialStamp {
  version: number;
  status: AccountStatus;
  /** When the account was deleted: the stamp is kept a while to outlast any replica lag. */
  deletedAt?: number;
}

export const FRESH_STAMP: CredentialStamp = { version: 0, status: "ACTIVE" };

/** How long a deleted account's stamp is kept: far longer than any replica lags. */
export const DELETED_STAMP_RETENTION_MS = 86_400_000;

/** What a user row, as read, says about its credentials. */
export interface RowCredentials {
  version: number;
  status: "ACTIVE" | "BLOCKED";
}

/** Whether a user row (at `rowVersion`) reflects the account's current credentials. */
export function rowIsCurrent(rowVersion: number, stamp: CredentialStamp): boolean {
  return rowVersion >= stamp.version;
}
