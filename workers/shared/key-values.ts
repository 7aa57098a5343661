/** Rules for key groups and API keys (spec §6). */
export const GROUP_NAME_PATTERN = /^[a-z0-9_-]+$/;
export const KEY_NAME_PATTERN = /^[a-z0-9_-]+$/;
export const KEY_VALUE_PATTERN = /^[a-zA-Z0-9_-]+$/;

/**
 * A new key value: a dash-less UUID (32 hex characters), base64-encoded as text, made URL-safe
 * and stripped of padding — 43 characters, as the original generates them.
 */
export function generateKeyValue(): string {
  const hex = crypto.randomUUID().replaceAll("-", "");
  return btoa(hex).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
