import type { Context } from "hono";
import type { InvocationProps, RouteInfo, SandboxServices, SecretScope } from "./types";

const SCOPES: readonly SecretScope[] = ["global", "function", "group", "key"];

/** The `ctx` a handler receives (spec §2.2). */
export interface FunctionContext {
  route: RouteInfo;
  params: Record<string, string>;
  query: Record<string, string>;
  authenticatedKeyGroup: string | undefined;
  requestedAt: Date;
  requestId: string;
  getSecret(name: string, scope?: SecretScope): Promise<string | undefined>;
  getCompleteSecret(name: string): Promise<object | undefined>;
}

/** The query string as a flat map; for a repeated key the last value wins. */
export function flatQuery(url: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URL(url).searchParams) query[key] = value;
  return query;
}

export function buildFunctionContext(
  c: Context,
  route: RouteInfo,
  props: InvocationProps,
  services: SandboxServices,
): FunctionContext {
  const { requestId } = props;
  return {
    route,
    params: c.req.param() as Record<string, string>,
    query: flatQuery(c.req.url),
    authenticatedKeyGroup: props.authenticatedKeyGroup,
    requestedAt: new Date(),
    requestId,
    async getSecret(name, scope) {
      if (scope !== undefined && !SCOPES.includes(scope)) {
        throw new Error(`Invalid secret scope: ${String(scope)}. Must be one of: global, function, group, key`);
      }
      return services.getSecret(requestId, name, scope);
    },
    getCompleteSecret: (name) => services.getCompleteSecret(requestId, name),
  };
}
