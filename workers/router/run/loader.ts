import { exports } from "cloudflare:workers";
import { cachedByVersion, configVersion } from "../../shared/config-version";
import { sha256Hex } from "../../shared/content-hash";
import type { FunctionDef } from "../../shared/db/functions";
import { readSourceFile } from "../../shared/source-files";
import type { RouteInfo, SandboxEnv } from "../../sandbox/types";
import { buildModuleMap, type LoadProblem, type ModuleMap, type ReadFile } from "./module-map";
import { PRELUDE } from "./prelude.gen";

const PRELUDE_MODULE = "__prelude.js";
const COMPATIBILITY_DATE = "2026-04-20";
const COMPATIBILITY_FLAGS = ["nodejs_compat"];

/** A function version ready to load: its loader id and what to load under it. */
export interface PreparedFunction {
  functionId: string;
  /** `fn:<function id>:<hash of every module and option>`; a new id means a new isolate. */
  loaderId: string;
  getCode: () => WorkerLoaderWorkerCode;
}

export type Preparation = { ok: true; fn: PreparedFunction } | { ok: false; problem: LoadProblem };

/** The route facts a handler sees as `ctx.route` (spec §2.2); optional members only when set. */
export function routeInfo(fn: FunctionDef): RouteInfo {
  return {
    name: fn.name,
    ...(fn.description !== null && { description: fn.description }),
    handler: fn.handler,
    route: fn.route,
    methods: fn.methods,
    ...(fn.keys !== null && { keys: fn.keys }),
  };
}

/** Reads `<source>/<path>` from the source named by the first segment. */
export function sourceReader(env: Env): ReadFile {
  return (path) => {
    const slash = path.indexOf("/");
    if (slash <= 0) return Promise.resolve(null);
    return readSourceFile(env, path.slice(0, slash), path.slice(slash + 1));
  };
}

/**
 * The loader id covers everything the isolate is built from: the prelude, every module, the
 * env values and the options. `globalOutbound` is null: handlers get no network at all (no
 * fetch to the internet, to the management port or to the platform's services); their only
 * channel out is the FunctionServices RPC stub in their env.
 */
export async function prepare(fn: FunctionDef, map: ModuleMap): Promise<PreparedFunction> {
  const route = routeInfo(fn);
  const handlerModule = `./${map.entry}`;
  const options = { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS, globalOutbound: null, services: { functionId: fn.id } };
  const hash = await sha256Hex(JSON.stringify([PRELUDE, map.modules, handlerModule, route, options]));
  return {
    functionId: fn.id,
    loaderId: `fn:${fn.id}:${hash}`,
    getCode: () => {
      const env: SandboxEnv = {
        HANDLER_MODULE: handlerModule,
        ROUTE: route,
        SERVICES: exports.FunctionServices({ props: { functionId: fn.id } }),
      };
      return {
        compatibilityDate: COMPATIBILITY_DATE,
        compatibilityFlags: COMPATIBILITY_FLAGS,
        mainModule: PRELUDE_MODULE,
        modules: { [PRELUDE_MODULE]: PRELUDE, ...map.modules },
        env,
        globalOutbound: null,
      };
    },
  };
}

/**
 * Each function's module map and loader id, kept until the configuration version moves (every
 * function, key or file write bumps it), so a call reads no file and transpiles nothing. Only
 * finished preparations are shared: workerd does not let one request wait on another's I/O,
 * so calls that arrive while a function is first prepared each prepare it themselves.
 */
const MAX_PREPARE_ATTEMPTS = 3;
const preparations = cachedByVersion(async () => new Map<string, Preparation>());

export async function prepareFunction(env: Env, fn: FunctionDef): Promise<Preparation> {
  const cache = await preparations();
  const ready = cache.get(fn.id);
  if (ready !== undefined) return ready;
  // Files are read one by one: if a write or a git sync switched files meanwhile (the version
  // moved), the map may mix old and new files, so it is built again.
  for (let attempt = 1; ; attempt++) {
    const startedAt = configVersion();
    const result = await buildModuleMap(fn.handler, sourceReader(env));
    if (configVersion() !== startedAt && attempt < MAX_PREPARE_ATTEMPTS) continue;
    const preparation: Preparation = result.ok ? { ok: true, fn: await prepare(fn, result.map) } : result;
    if (configVersion() === startedAt) cache.set(fn.id, preparation);
    return preparation;
  }
}
