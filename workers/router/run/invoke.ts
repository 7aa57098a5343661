import type { Control } from "../../sandbox/prelude";
import type { FunctionDef } from "../../shared/db/functions";
import { checkApiKey } from "./api-key";
import { beginInvocation } from "./invocations";
import { IsolatePool } from "./isolates";
import { type PreparedFunction, prepareFunction } from "./loader";
import type { LoadProblem } from "./module-map";
import type { RunContext } from "./route-table";

const pool = new IsolatePool<WorkerLoaderWorkerCode>();

function loadProblemResponse(c: RunContext<Env>, fn: FunctionDef, problem: LoadProblem): Response {
  const { requestId } = c.env;
  switch (problem.kind) {
    case "not-found":
      return c.json({ error: "Handler not found", message: `Handler file does not exist: ${fn.handler}`, requestId }, 404);
    case "syntax":
      return c.json({ error: "Handler syntax error", message: problem.message, requestId }, 500);
    case "escape":
      return c.json({ error: "Handler execution failed", message: problem.message, requestId }, 500);
    case "too-large":
      return c.json({ error: "Handler load failed", message: "An error occurred while loading the handler", requestId }, 500);
  }
}

/** Maps a failure of the isolate itself (it could not start, or died) to the spec's bodies. */
function isolateFailureResponse(c: RunContext<Env>, error: unknown): Response {
  const { requestId } = c.env;
  const message = error instanceof Error ? error.message : String(error);
  const syntax = /Uncaught SyntaxError: ([^\n]*)/.exec(message);
  if (syntax !== null) return c.json({ error: "Handler syntax error", message: syntax[1] ?? message, requestId }, 500);
  console.error(`[${requestId}] function isolate failed:`, message);
  if (message.startsWith("Failed to start Worker")) {
    return c.json({ error: "Handler load failed", message: "An error occurred while loading the handler", requestId }, 500);
  }
  return c.json({ error: "Handler execution failed", message, requestId }, 500);
}

function evictIn(env: Env) {
  return async (loaderId: string, getCode: () => WorkerLoaderWorkerCode): Promise<boolean> =>
    env.LOADER.get(loaderId, getCode).getEntrypoint<Control>("Control").evict();
}

async function callIsolate(c: RunContext<Env>, prepared: PreparedFunction, authenticatedKeyGroup?: string): Promise<Response> {
  const { env, requestId } = c.env;
  const finished = pool.begin(prepared.functionId, prepared.loaderId, prepared.getCode);
  try {
    const worker = env.LOADER.get(prepared.loaderId, prepared.getCode);
    const props = { requestId, ...(authenticatedKeyGroup !== undefined && { authenticatedKeyGroup }) };
    return await worker.getEntrypoint(undefined, { props }).fetch(c.req.raw);
  } catch (error) {
    return isolateFailureResponse(c, error);
  } finally {
    finished();
    if (pool.isSweepDue()) c.executionCtx.waitUntil(pool.sweep(evictIn(env)));
  }
}

/**
 * Runs one matched function (spec §2.4): the key check when the function lists groups, then
 * the call into its isolate. Route, definition, key hashes and module map all come from memory.
 */
export async function invokeFunction(c: RunContext<Env>, fn: FunctionDef): Promise<Response> {
  const { env, requestId } = c.env;
  let key;
  if (fn.keys !== null) {
    const check = await checkApiKey(env, c.req.raw, fn.keys);
    if (!check.ok) return c.json({ error: "Unauthorized", message: check.message, requestId }, 401);
    key = check.match;
  }
  const preparation = await prepareFunction(env, fn);
  if (!preparation.ok) return loadProblemResponse(c, fn, preparation.problem);
  const done = beginInvocation(requestId, { functionId: fn.id, ...(key !== undefined && { key }) });
  try {
    return await callIsolate(c, preparation.fn, key?.groupName);
  } finally {
    done();
  }
}
