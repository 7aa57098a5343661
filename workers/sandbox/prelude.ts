/**
 * The main module of every function isolate. It builds a one-route Hono app for the function
 * (so `c` is a real Hono Context with the same matching, params and HEAD handling as the
 * router), captures console output per request, loads the handler module on first use and
 * calls its default export `(c, ctx)`. Bundled with Hono by scripts/build.mjs; the router
 * passes it to the Worker Loader as text.
 */
import * as workers from "cloudflare:workers";
import { type Context, Hono } from "hono";
import { ConsoleCapture, type ConsoleEntry } from "./console-capture";
import { buildFunctionContext, type FunctionContext } from "./function-context";
import type { InvocationProps, SandboxEnv } from "./types";

type Handler = (c: Context, ctx: FunctionContext) => unknown;
type Loaded = { handler: Handler } | { failure: "export" | "load" };

const capture = new ConsoleCapture();
capture.install(console);

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

function propsOf(c: Context): InvocationProps {
  return (c.executionCtx as ExecutionContext<InvocationProps>).props;
}

let app: Hono | undefined;

function functionApp(env: SandboxEnv): Hono {
  if (app !== undefined) return app;
  const created = new Hono();
  created.on(env.ROUTE.methods, env.ROUTE.route, async (c) => {
    const props = propsOf(c);
    const loaded = await loadHandler(env.HANDLER_MODULE);
    if ("failure" in loaded) return c.json({ ...LOAD_FAILURES[loaded.failure], requestId: props.requestId }, 500);
    const result = await loaded.handler(c, buildFunctionContext(c, env.ROUTE, props, env.SERVICES));
    // A handler that returns no Response gets Hono's plain-text 404, as in the original.
    return result instanceof Response ? result : c.notFound();
  });
  created.onError((error, c) => {
    const message = error instanceof Error ? error.message : "An error occurred while executing the handler";
    return Response.json({ error: "Handler execution failed", message, requestId: propsOf(c).requestId }, { status: 500 });
  });
  app = created;
  return created;
}

export default {
  async fetch(request: Request, env: SandboxEnv, ctx: ExecutionContext<InvocationProps>): Promise<Response> {
    const entries: ConsoleEntry[] = [];
    // No bindings reach the handler: Hono's c.env is an empty object, as in the original.
    const response = await capture.run(entries, () => functionApp(env).fetch(request, {}, ctx));
    if (entries.length > 0) ctx.waitUntil(env.SERVICES.log(ctx.props.requestId, entries));
    return response;
  },
};

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
