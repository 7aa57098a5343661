import {
  deleteFunction,
  findFunction,
  findFunctionByName,
  findRouteConflict,
  insertFunction,
  listFunctions,
  replaceFunction,
  setFunctionEnabled,
  type FunctionDef,
} from "../../shared/db/functions";
import { HttpError, isUniqueViolation, json } from "../../shared/errors";
import { type FunctionInput, functionInput } from "../../shared/function-input";
import { readJsonObject } from "../../shared/http";
import { isValidId } from "../../shared/ids";
import { parseInput } from "../../shared/validation";
import type { ApiRouter } from "./router";

function functionId(raw: string | undefined): string {
  if (raw === undefined || !isValidId(raw)) throw new HttpError(400, "Invalid function ID");
  return raw;
}

async function existingFunction(env: Env, id: string): Promise<FunctionDef> {
  const fn = await findFunction(env, id);
  if (fn === undefined) throw new HttpError(404, `Function with id '${id}' not found`);
  return fn;
}

/** The 409s of spec §4.4: a taken name, or a normalised route sharing a method with another function. */
async function assertNoConflict(env: Env, input: FunctionInput, exceptId?: string): Promise<void> {
  if ((await findFunctionByName(env, input.name, exceptId)) !== undefined) {
    throw new HttpError(409, `Function with name '${input.name}' already exists`);
  }
  const conflict = await findRouteConflict(env, input.route, input.methods, exceptId);
  if (conflict !== undefined) {
    throw new HttpError(
      409,
      `Route '${input.route}' with method(s) ${conflict.methods.join(", ")} already exists (function: '${conflict.name}')`,
    );
  }
}

function nameTaken(error: unknown, input: FunctionInput): never {
  if (isUniqueViolation(error)) throw new HttpError(409, `Function with name '${input.name}' already exists`);
  throw error;
}

/** `/api/functions` (spec §4.4). */
export function functionRoutes(router: ApiRouter): void {
  router.get("/functions", async (_request, env: Env) => json({ functions: await listFunctions(env) }));

  router.post("/functions", async (request, env: Env) => {
    const input = parseInput(functionInput, await readJsonObject(request));
    await assertNoConflict(env, input);
    const created = await insertFunction(env, input).catch((error: unknown) => nameTaken(error, input));
    return json({ function: created }, 201);
  });

  router.get("/functions/:id", async (request, env: Env) => {
    return json({ function: await existingFunction(env, functionId(request.params.id)) });
  });

  router.put("/functions/:id", async (request, env: Env) => {
    const id = functionId(request.params.id);
    const input = parseInput(functionInput, await readJsonObject(request));
    await existingFunction(env, id);
    await assertNoConflict(env, input, id);
    await replaceFunction(env, id, input).catch((error: unknown) => nameTaken(error, input));
    return json({ function: await existingFunction(env, id) });
  });

  router.delete("/functions/:id", async (request, env: Env) => {
    const id = functionId(request.params.id);
    await existingFunction(env, id);
    await deleteFunction(env, id);
    return new Response(null, { status: 204 });
  });

  for (const [action, enabled] of [["enable", true], ["disable", false]] as const) {
    router.put(`/functions/:id/${action}`, async (request, env: Env) => {
      const id = functionId(request.params.id);
      await existingFunction(env, id);
      await setFunctionEnabled(env, id, enabled);
      return json({ function: await existingFunction(env, id) });
    });
  }
}
