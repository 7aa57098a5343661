import { json } from "../../shared/errors";

/** Serves `/run` and `/run/*` (functions and their isolates come with the functions issue). */
export async function handleRun(_request: Request, _env: Env, _ctx: ExecutionContext, _requestId: string): Promise<Response> {
  return json({ error: "Function not found" }, 404);
}
