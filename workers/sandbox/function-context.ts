import type { Context } from "hono";
import type { InvocationProps, RouteInfo, SandboxServices, SecretScope } from "./types";

const SCOPES: readonly SecretScope[] = ["global", "function", "group", "key"];

/**
 * Secret values this isolate looked up, for one configuration version: a later write moves the
 * version and empties the cache, so a value is never older than the last write. The key id is
 * part of the cache key because group and key scopes depend on who called.
 */
let secretCache: { version: number; values: Map<string, string | undefined> } = { version: -1, values: new Map() };

function cachedSecret(props: InvocationProps, name: string, scope: SecretScope | undefined, lookup: () => Promise<string | undefined>): Promise<string | undefined> | string | undefined {
  if (secretCache.version !== props.configVersion) secretCache = { version: props.configVersion, values: new Map() };
  const cache = secretCache;
  const key = `${props.keyId ?? ""}\u0000${scope ?? ""}\u0000${name}`;
  if (cache.values.has(key)) return cache.values.get(key);
  return lookup().then((value) => {
    if (cache.values.size < 1000) cache.values.set(key, value);
    return value;
  });
}

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
      return cachedSecret(props, name, scope, () => services.getSecret(requestId, name, scope));
    },
    getCompleteSecret: (name) => services.getCompleteSecret(requestId, name),
  };
}
