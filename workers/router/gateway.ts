import { handleApi } from "./api";
import { isDraining } from "./control";
import { withSecurityHeaders } from "./middleware/security-headers";
import { ensureReady } from "./platform";
import { handleRun } from "./run";

/** Which endpoints a listening socket serves. */
export type Surface = "functions" | "management" | "all";

const NOT_FOUND = (): Response =>
  new Response("404 Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=UTF-8" } });

function isRunPath(pathname: string): boolean {
  return pathname === "/run" || pathname.startsWith("/run/");
}

function isManagementPath(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname === "/api" || pathname.startsWith("/web/") || pathname === "/web";
}

/**
 * Dispatches one request by path: `/health` everywhere, `/run*` on the functions surface,
 * `/api/*` and `/web/*` on the management surface; management responses carry the security
 * headers (all responses do in single-port mode, as in the original).
 */
export async function dispatch(request: Request, env: Env, ctx: ExecutionContext, surface: Surface): Promise<Response> {
  const requestId = crypto.randomUUID();
  const { pathname } = new URL(request.url);
  const secure = surface !== "functions";
  try {
    await ensureReady(env);
  } catch (error) {
    console.error(`[${requestId}] start-up failed:`, error);
    return Response.json({ error: "Service starting", requestId }, { status: 503, headers: { "Retry-After": "1" } });
  }
  let response: Response;
  if (pathname === "/health") response = Response.json({ status: "ok" });
  else if (surface !== "management" && isRunPath(pathname)) {
    // A graceful stop is under way (control.ts): refuse new calls so none is left unlogged.
    response = isDraining()
      ? Response.json({ error: "Service stopping", requestId }, { status: 503, headers: { "Retry-After": "1" } })
      : await handleRun(request, env, ctx, requestId);
  }
  else if (surface !== "functions" && pathname.startsWith("/api")) {
    response = isManagementPath(pathname) ? await handleApi(request, env, ctx, requestId) : NOT_FOUND();
  } else response = NOT_FOUND();
  return secure ? withSecurityHeaders(response) : response;
}
