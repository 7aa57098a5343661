import { findFunction } from "../../shared/db/functions";
import { HttpError } from "../../shared/errors";

/** 404 `Function with id <id> not found` unless the function exists (logs and metrics, spec §9). */
export async function assertFunctionExists(env: Env, functionId: string | undefined): Promise<void> {
  if (functionId !== undefined && (await findFunction(env, functionId)) === undefined) {
    throw new HttpError(404, `Function with id ${functionId} not found`);
  }
}
