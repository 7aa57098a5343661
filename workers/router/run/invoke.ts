import type { Control } from "../../sandbox/prelude";
import type { CallOutcome, InvocationProps } from "../../sandbox/types";
import { configVersion } from "../../shared/config-version";
import type { FunctionDef } from "../../shared/db/functions";
import { type CallInfo, capturedLines, type CapturedEntry, execEnd, execReject, execStart } from "../../shared/logs/trace";
import type { LogLine, RawMetric } from "../../shared/logs/levels";
import { recordTelemetry } from "../logs/telemetry";
import { checkApiKey } from "./api-key";
import { beginInvocation, type Invocation } from "./invocations";
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

/** What one call into an isolate produced. */
interface CallResult {
  response: Response;
  entries: CapturedEntry[];
  outcome: CallOutcome;
}

/** Maps a failure of the isolate itself (it could not start, or died) to the spec's bodies. */
function isolateFailure(c: RunContext<Env>, error: unknown): CallResult {
  const { requestId } = c.env;
  const message = error instanceof Error ? error.message : String(error);
  const failed = (body: object, outcome: CallOutcome): CallResult => ({ response: c.json({ ...body, requestId }, 500), entries: [], outcome });
  const syntax = /Uncaught SyntaxError: ([^\n]*)/.exec(message);
  if (syntax !== null) return failed({ error: "Handler syntax error", message: syntax[1] ?? message }, "load-error");
  console.error(`[${requestId}] function isolate failed:`, message);
  if (message.startsWith("Failed to start Worker")) {
    return failed({ error: "Handler load failed", message: "An error occurred while loading the handler" }, "load-error");
  }
  return failed({ error: "Handler execution failed", message }, "error");
}

function evictIn(env: Env) {
  return async (loaderId: string, getCode: () => WorkerLoaderWorkerCode): Promise<boolean> =>
    env.LOADER.get(loaderId, getCode).getEntrypoint<Control>("Control").evict();
}

async function callIsolate(c: RunContext<Env>, prepared: PreparedFunction, invocation: Invocation): Promise<CallResult> {
  const { env, requestId } = c.env;
  const finished = pool.begin(prepared.functionId, prepared.loaderId, prepared.getCode);
  try {
    const worker = env.LOADER.get(prepared.loaderId, prepared.getCode);
    const { key } = invocation;
    const props: InvocationProps = { requestId, configVersion: configVersion(), ...(key !== undefined && { authenticatedKeyGroup: key.groupName, keyId: key.keyId }) };
    const response = await worker.getEntrypoint(undefined, { props }).fetch(c.req.raw);
    // The isolate reported its lines and a bad outcome (if any) before answering.
    return { response, entries: invocation.entries ?? [], outcome: invocation.outcome ?? "ok" };
  } catch (error) {
    return isolateFailure(c, error);
  } finally {
    finished();
    if (pool.isSweepDue()) c.executionCtx.waitUntil(pool.sweep(evictIn(env)));
  }
}

/** Buffers a call's lines (and its metric) for storage, off the response path. */
function record(c: RunContext<Env>, lines: LogLine[], metric?: RawMetric): void {
  const { env } = c.env;
  const metrics = metric === undefined ? [] : [metric];
  c.executionCtx.waitUntil(recordTelemetry(env, c.executionCtx, lines, metrics));
}

/**
 * Runs one matched function (spec §2.4): the key check when the function lists groups, then
 * the call into its isolate. Route, definition, key hashes and module map all come from memory.
 * Every call leaves its trace (spec §2.7): exec_reject alone, or exec_start, the handler's
 * lines and exec_end, stored together in that order; every execution but a load error also
 * leaves a raw metric.
 */
export async function invokeFunction(c: RunContext<Env>, fn: FunctionDef): Promise<Response> {
  const { env, requestId } = c.env;
  const call: CallInfo = { requestId, functionId: fn.id, method: c.req.method, url: c.req.url, startedAt: Date.now() };
  let key;
  if (fn.keys !== null) {
    const check = await checkApiKey(env, c.req.raw, fn.keys);
    if (!check.ok) {
      record(c, [execReject(call)]);
      return c.json({ error: "Unauthorized", message: check.message, requestId }, 401);
    }
    key = check.match;
  }
  const start = execStart(call, c.req.raw.headers, key?.groupName);
  const preparation = await prepareFunction(env, fn);
  if (!preparation.ok) {
    record(c, [start, execEnd(call, Date.now(), "load-error", 1)]);
    return loadProblemResponse(c, fn, preparation.problem);
  }
  const invocation: Invocation = { functionId: fn.id, ...(key !== undefined && { key }) };
  const done = beginInvocation(requestId, invocation);
  try {
    const result = await callIsolate(c, preparation.fn, invocation);
    const endedAt = Date.now();
    const lines = capturedLines(call, result.entries, 1);
    const trace = [start, ...lines, execEnd(call, endedAt, result.outcome, lines.length + 1)];
    const metric = { functionId: fn.id, durationUs: (endedAt - call.startedAt) * 1000, timestamp: endedAt };
    record(c, trace, result.outcome === "load-error" ? undefined : metric);
    return result.response;
  } finally {
    done();
  }
}
