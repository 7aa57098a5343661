import { type KeyMatch, matchKey } from "../../shared/db/api-keys";
import { extractApiKey } from "./key-extraction";

export type KeyCheck = { ok: true; match: KeyMatch } | { ok: false; message: "Missing API key" | "Invalid API key" };

/** Checks the request's key against the function's groups, in their order; answers from memory. */
export async function checkApiKey(env: Env, request: Request, groupIds: readonly string[]): Promise<KeyCheck> {
  const key = extractApiKey(request.headers, new URL(request.url));
  if (key === undefined) return { ok: false, message: "Missing API key" };
  const match = await matchKey(env, key, groupIds);
  return match === undefined ? { ok: false, message: "Invalid API key" } : { ok: true, match };
}
