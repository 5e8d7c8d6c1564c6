// Types of password-hash.mjs, for the TypeScript tests that check it against the Worker's format.
export const MAX_PBKDF2_ITERATIONS: number;
export const PBKDF2_ITERATIONS: number;
export function hashPassword(password: string, options?: { pepper?: string; iterations?: number; rounds?: number; salt?: Uint8Array }): string;
export function verifyPassword(password: string, stored: string, options?: { pepper?: string }): boolean;
