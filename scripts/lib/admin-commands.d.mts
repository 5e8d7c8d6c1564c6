// Types of admin-commands.mjs, for the tests.
export class UsageError extends Error {}
export const USAGE: string;
export interface AdminRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: Record<string, unknown>;
}
export function adminRequest(words: string[], options: Record<string, string | boolean | undefined>): AdminRequest;
