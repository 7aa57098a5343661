const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A new record id: 20 lower-case alphanumerics, like the original's generated ids. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let id = "";
  // 256 % 36 leaves a small bias; ids only need to be unique, not uniform.
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** The id rule most routes apply to ids in paths and queries. */
export const ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** The current time as the ISO string stored in every timestamp column. */
export function nowIso(): string {
  return new Date().toISOString();
}
