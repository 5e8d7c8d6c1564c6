// The display fields of an identity as any provider gives them, bounded like the profile fields a
// user edits (src/routes/user-profile.ts): a name of at most 64 characters, and a picture only as
// an https URL of at most 1024 (anything else is dropped, never refused: it is only for display).

export function nameOf(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 64) : null;
}

export function pictureOf(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 1024) return null;
  try {
    return new URL(value).protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}
