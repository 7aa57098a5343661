/**
 * The main module of every function isolate. It builds a one-route Hono app for the function
 * (so `c` is a real Hono Context with the same matching, params and HEAD handling as the
 * router), captures console output per request, loads the handler module on first use and
 * calls its default export `(c, ctx)`. Bundled with Hono by scripts/build.mjs; the router
 * passes it to the Worker Loader as text.
 *
 * The router calls the default entrypoint's `fetch` (an RPC answering a Response costs about
 * twice as much). Before answering, a call that wrote console lines or failed reports them
 * through SERVICES.report, so the router stores one call's trace in order (exec_start, lines,
 * exec_end); a quiet successful call reports nothing. Lines written later — by waitUntil work
 * or promises nobody awaited — are shipped after that work settles, through SERVICES.log.
 */
import * as workers from "cloudflare:workers";
import { type Context, Hono } from "hono";
import { CallLog, ConsoleCapture } from "./console-capture";
import { buildFunctionContext, type FunctionContext } from "./function-context";
import type { CallOutcome, InvocationProps, SandboxEnv } from "./types";

type Handler = (c: Context, ctx: FunctionContext) => unknown;
type Loaded = { handler: Handler } | { failure: "export" | "load" };

const capture = new ConsoleCapture();
capture.install(console);
// `process` exists under nodejs_compat; its streams are captured like console output.
const nodeProcess = (globalThis as { process?: { stdout?: { write(chunk: unknown): unknown }; stderr?: { write(chunk: unknown): unknown } } }).process;
capture.installStreams({ stdout: nodeProcess?.stdout, stderr: nodeProcess?.stderr });

let loading: Promise<Loaded> | undefined;

/** Imports the handler module once; a module that threw while loading stays failed. */
function loadHandler(specifier: string): Promise<Loaded> {
  loading ??= import(specifier).then(
    (module: { default?: unknown }): Loaded =>
      typeof module.default === "function" ? { handler: module.default as Handler } : { failure: "export" },
    (error: unknown): Loaded => {
      capture.print("error", "Handler load failed:", error);
      return { failure: "load" };
    },
  );
  return loading;
}

const LOAD_FAILURES = {
  export: { error: "Invalid handler", message: "Handler must export a default function" },
  load: { error: "Handler load failed", message: "An error occurred while loading the handler" },
} as const;

/** What one call's route handler reports back, keyed by the ExecutionContext Hono hands it. */
interface CallState {
  outcome: CallOutcome;
  /** Promises the handler passed to waitUntil; late lines are shipped once they settle. */
  background: Promise<unknown>[];
}
const calls = new WeakMap<object, CallState>();

function propsOf(c: Context): InvocationProps {
  return (c.executionCtx as ExecutionContext<InvocationProps>).props;
}

function report(c: Context, outcome: CallOutcome): void {
  const state = calls.get(c.executionCtx);
  if (state !== undefined) state.outcome = outcome;
}

let app: Hono | undefined;

function functionApp(env: SandboxEnv): Hono {
  if (app !== undefined) return app;
  const created = new Hono();
  created.on(env.ROUTE.methods, env.ROUTE.route, async (c) => {
    const props = propsOf(c);
    const loaded = await loadHandler(env.HANDLER_MODULE);
    if ("failure" in loaded) {
      report(c, "load-error");
      return c.json({ ...LOAD_FAILURES[loaded.failure], requestId: props.requestId }, 500);
    }
    const result = await loaded.handler(c, buildFunctionContext(c, env.ROUTE, props, env.SERVICES));
    // A handler that returns no Response gets Hono's plain-text 404, as in the original.
    return result instanceof Response ? result : c.notFound();
  });
  created.onError((error, c) => {
    report(c, "error");
    const message = error instanceof Error ? error.message : "An error occurred while executing the handler";
    return Response.json({ error: "Handler execution failed", message, requestId: propsOf(c).requestId }, { status: 500 });
  });
  app = created;
  return created;
}

/** How long un-awaited work may still write lines after the response and its waitUntil work. */
const LATE_OUTPUT_MS = 25;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ships lines written after the response, numbered on from `firstSequence`, once background work settles. */
async function shipLateLines(env: SandboxEnv, requestId: string, log: CallLog, state: CallState, firstSequence: number): Promise<void> {
  for (;;) {
    const pending = state.background.splice(0);
    if (pending.length > 0) {
      await Promise.allSettled(pending);
      continue;
    }
    await sleep(LATE_OUTPUT_MS);
    if (state.background.length === 0) break;
  }
  const late = log.take();
  if (late.length > 0) await env.SERVICES.log(requestId, late, firstSequence);
}

/** The router's entrypoint for calls. */
export default class Invoke extends workers.WorkerEntrypoint<SandboxEnv, InvocationProps> {
  override async fetch(request: Request): Promise<Response> {
    const { env, ctx } = this;
    const log = new CallLog();
    const state: CallState = { outcome: "ok", background: [] };
    // The handler's c.executionCtx: its waitUntil work is tracked so late lines are not lost.
    const callCtx = {
      props: ctx.props,
      waitUntil(promise: Promise<unknown>) {
        state.background.push(promise);
        ctx.waitUntil(promise);
      },
      passThroughOnException() {},
    };
    calls.set(callCtx, state);
    // No bindings reach the handler: Hono's c.env is an empty object, as in the original.
    const response = await capture.run(log, () => functionApp(env).fetch(request, {}, callCtx as unknown as ExecutionContext));
    const entries = log.take();
    if (entries.length > 0 || state.outcome !== "ok") await env.SERVICES.report(ctx.props.requestId, entries, state.outcome);
    // exec_start is 0 and exec_end follows these lines, so late lines start two further on.
    ctx.waitUntil(shipLateLines(env, ctx.props.requestId, log, state, entries.length + 2));
    return response;
  }
}

/** The router's control surface: eviction aborts this isolate so that workerd frees it. */
export class Control extends workers.WorkerEntrypoint<SandboxEnv> {
  evict(): boolean {
    // abortIsolate exists from workerd 1.2026-11 on; older runtimes (wrangler dev) keep the isolate.
    const abort = (workers as { abortIsolate?: (reason: string) => void }).abortIsolate;
    if (abort === undefined) return false;
    abort("evicted by the router: idle function version");
    return true;
  }
}
