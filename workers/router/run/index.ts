import { cachedByVersionPer } from "../../shared/config-version";
import { cachedFunctions } from "../../shared/db/functions";
import { toErrorResponse } from "../../shared/errors";
import { invokeFunction } from "./invoke";
import { buildRouteTable, type RunApp, stripRunPrefix } from "./route-table";

/** The route table, rebuilt from the cached definitions only when the configuration version moves. */
const routeTable = cachedByVersionPer(
  async (db: D1Database): Promise<RunApp<Env>> => buildRouteTable(await cachedFunctions({ DB: db }), invokeFunction),
);

/** Serves `/run` and `/run/*`: match a function, check its key, run it in its isolate. */
export async function handleRun(request: Request, env: Env, ctx: ExecutionContext, requestId: string): Promise<Response> {
  try {
    const app = await routeTable(env.DB);
    return await app.fetch(stripRunPrefix(request), { env, requestId }, ctx);
  } catch (error) {
    return toErrorResponse(error, requestId);
  }
}
