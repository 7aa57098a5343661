import { type Context, Hono } from "hono";
import type { FunctionDef } from "../../shared/function-input";
import { corsMiddleware } from "./cors";

/** What every /run request carries into the route table's handlers (Hono bindings). */
export interface RunBindings<E> {
  env: E;
  requestId: string;
}

export type RunContext<E> = Context<{ Bindings: RunBindings<E> }>;
export type RunApp<E> = Hono<{ Bindings: RunBindings<E> }>;

/** Runs one matched function for a request whose path no longer has `/run`. */
export type Invoke<E> = (c: RunContext<E>, fn: FunctionDef) => Promise<Response>;

/**
 * The /run route table: a Hono app (Hono's own routers, so params, optional and regex params,
 * wildcards, strict trailing slashes and HEAD-as-GET behave exactly as in the original) with
 * every enabled function registered in name order, so the first name wins an overlap.
 * CORS middleware comes first, on the exact pattern of the first function that configures it,
 * so preflights are answered before any key check and CORS headers reach 401s too.
 */
export function buildRouteTable<E>(functions: readonly FunctionDef[], invoke: Invoke<E>): RunApp<E> {
  const app: RunApp<E> = new Hono();
  const enabled = functions.filter((fn) => fn.enabled);
  const withCors = new Set<string>();
  for (const fn of enabled) {
    if (fn.cors === null || withCors.has(fn.route)) continue;
    withCors.add(fn.route);
    app.use(fn.route, corsMiddleware(fn.cors));
  }
  for (const fn of enabled) {
    app.on(fn.methods, fn.route, (c) => invoke(c, fn));
  }
  app.all("*", (c) => c.json({ error: "Function not found" }, 404));
  app.onError((error) => {
    throw error;
  });
  return app;
}

/** The request a function sees: the same method, headers and body, without the `/run` prefix. */
export function stripRunPrefix(request: Request): Request {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/^\/run/, "") || "/";
  return new Request(url, request);
}
