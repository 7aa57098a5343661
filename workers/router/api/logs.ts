import { deleteFunctionLogs, listLogs } from "../../shared/db/logs";
import { HttpError, json } from "../../shared/errors";
import { isValidId } from "../../shared/ids";
import { encodeCursor } from "../../shared/logs/cursor";
import type { LogRecord } from "../../shared/logs/levels";
import { pageLink, parseLogQuery } from "../../shared/logs/query";
import { telemetryBuffer } from "../logs/telemetry";
import { assertFunctionExists } from "./function-exists";
import { streamLogs } from "./logs-stream";
import type { ApiRouter } from "./router";

function cursorOf(record: LogRecord, direction: "older" | "newer"): string {
  return encodeCursor({ id: Number(record.id), timestamp: record.timestamp, sequence: record.sequence, direction });
}

/** `/api/logs` (spec §9.2, §9.3) and the live stream `/api/logs/stream`. */
export function logRoutes(router: ApiRouter): void {
  router.get("/logs/stream", (request, env: Env, ctx: ExecutionContext) => streamLogs(request, env, ctx));

  router.get("/logs", async (request, env: Env) => {
    const query = parseLogQuery(new URL(request.url).searchParams);
    await assertFunctionExists(env, query.filter.functionId);
    const from = query.cursor === undefined ? undefined : { id: query.cursor.id, direction: query.cursor.direction };
    const page = await listLogs(env, query.filter, query.limit, from);
    const first = page.records[0];
    const last = page.records.at(-1);
    const pagination = {
      limit: query.limit,
      hasMore: page.hasMore,
      ...(page.hasMore && last !== undefined && { next: pageLink(query, cursorOf(last, "older")) }),
      ...(query.cursor !== undefined && first !== undefined && { prev: pageLink(query, cursorOf(first, "newer")) }),
    };
    return json({ data: { logs: page.records, pagination } });
  });

  router.delete("/logs/:functionId", async (request, env: Env) => {
    const functionId = request.params.functionId;
    if (functionId === undefined || !isValidId(functionId)) throw new HttpError(400, "Invalid functionId parameter");
    await assertFunctionExists(env, functionId);
    telemetryBuffer.discard(functionId);
    return json({ data: { deleted: await deleteFunctionLogs(env, functionId), functionId } });
  });
}
