import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { CorsConfig } from "../../shared/function-input";

/** The platform's default preflight max-age (spec §4.3). */
export const DEFAULT_CORS_MAX_AGE = 86400;

// Hono 4.11's default list, which the original answers with; Hono 4.13 added QUERY.
const ALLOW_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"];

/**
 * Hono's own CORS middleware for one function's configuration: `*` only when the origins are
 * exactly `["*"]`, otherwise the request's origin is echoed when listed.
 */
export function corsMiddleware(config: CorsConfig): MiddlewareHandler {
  const [first] = config.origins;
  const isAnyOrigin = config.origins.length === 1 && first === "*";
  return cors({
    origin: isAnyOrigin ? "*" : config.origins,
    allowMethods: ALLOW_METHODS,
    maxAge: config.maxAge ?? DEFAULT_CORS_MAX_AGE,
    ...(config.credentials !== undefined && { credentials: config.credentials }),
    ...(config.allowHeaders !== undefined && { allowHeaders: config.allowHeaders }),
    ...(config.exposeHeaders !== undefined && { exposeHeaders: config.exposeHeaders }),
  });
}
