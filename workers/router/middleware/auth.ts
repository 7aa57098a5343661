import { matchKey } from "../../shared/db/api-keys";
import { settingValue } from "../../shared/db/settings";
import { constantTimeEqual } from "../../shared/crypto";
import { HttpError } from "../../shared/errors";

/**
 * `/api/*` access (spec §3.1): an `X-API-Key` whose key belongs to a group listed in the
 * `api.access-groups` setting. Answers from in-memory caches, so it costs no query per request.
 * The operator's MANAGEMENT_API_KEY is always let in, whatever the setting says: with no web
 * login yet, a setting that shuts out every group could otherwise never be undone.
 */
export async function requireApiKey(request: Request, env: Env): Promise<void> {
  const presented = request.headers.get("X-API-Key");
  if (presented === null || presented === "") throw new HttpError(401, "Unauthorized");
  const operatorKey = env.MANAGEMENT_API_KEY ?? "";
  if (operatorKey !== "" && (await constantTimeEqual(presented, operatorKey))) return;
  const groups = (await settingValue(env, "api.access-groups")).split(",").filter((g) => g !== "");
  if ((await matchKey(env, presented, groups)) === undefined) throw new HttpError(401, "Unauthorized");
}
