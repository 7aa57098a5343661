import { transpile } from "./transpile";

/** Reads a file by its code-root path (`<source>/<path>`); null when it does not exist. */
export type ReadFile = (path: string) => Promise<Uint8Array | null>;

/** A module of a loaded worker, as the Worker Loader takes it. */
export type LoaderModule = { js: string } | { json: unknown } | { text: string };

export type ModuleMap = {
  /** Code-root path of the handler module, e.g. `my-functions/hello.ts`. */
  entry: string;
  /** Every module of the handler's relative-import graph, by code-root path. */
  modules: Record<string, LoaderModule>;
};

export type LoadProblem =
  | { kind: "not-found" }
  | { kind: "escape"; message: string }
  | { kind: "syntax"; message: string }
  | { kind: "too-large"; message: string };

export type ModuleMapResult = { ok: true; map: ModuleMap } | { ok: false; problem: LoadProblem };

/** Most modules one handler may pull in; a runaway import graph stops here. */
export const MAX_MODULES = 256;

const CODE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?["']([^"'\n]+)["']/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

/**
 * Resolves a path against a directory of the code root (`a/b` + `../c.ts` = `a/c.ts`); null
 * when it would leave the root. The code root holds one directory per source, so
 * `../shared/x.ts` from `fns/h.ts` is file `x.ts` of the source named `shared`.
 */
export function resolveCodePath(fromDir: string, path: string): string | null {
  if (path.startsWith("/")) return null;
  const parts = fromDir === "" ? [] : fromDir.split("/");
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join("/");
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

/** Relative specifiers a module imports (static, re-exports and literal dynamic imports). */
export function relativeImports(code: string): string[] {
  const found = new Set<string>();
  for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1];
      if (specifier !== undefined && (specifier.startsWith("./") || specifier.startsWith("../"))) found.add(specifier);
    }
  }
  return [...found];
}

const decoder = new TextDecoder();

/**
 * Builds the module map of a handler: its file and every file reachable through relative
 * imports, TypeScript transpiled. Module names are code-root paths, so workerd resolves the
 * relative imports between them by itself. A missing imported file is left out here: workerd
 * then fails to start the worker, which the caller reports as a load failure, like a missing
 * npm package in the original.
 */
export async function buildModuleMap(handler: string, readFile: ReadFile): Promise<ModuleMapResult> {
  const entry = resolveCodePath("", handler);
  if (entry === null) return { ok: false, problem: { kind: "escape", message: `Handler path escapes the code directory: ${handler}` } };
  const modules: Record<string, LoaderModule> = {};
  const pending = [entry];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (path in modules) continue;
    if (Object.keys(modules).length >= MAX_MODULES) {
      return { ok: false, problem: { kind: "too-large", message: `Handler imports more than ${MAX_MODULES} modules` } };
    }
    const bytes = await readFile(path);
    if (bytes === null) {
      if (path === entry) return { ok: false, problem: { kind: "not-found" } };
      continue;
    }
    const text = decoder.decode(bytes);
    if (path.endsWith(".json")) {
      try {
        modules[path] = { json: JSON.parse(text) as unknown };
      } catch (error) {
        return { ok: false, problem: { kind: "syntax", message: `${path}: ${(error as Error).message}` } };
      }
      continue;
    }
    if (!CODE_FILE.test(path) && path !== entry) {
      modules[path] = { text };
      continue;
    }
    const transpiled = await transpile(path, text);
    if ("syntaxError" in transpiled) return { ok: false, problem: { kind: "syntax", message: transpiled.syntaxError } };
    modules[path] = { js: transpiled.code };
    for (const specifier of relativeImports(transpiled.code)) {
      const target = resolveCodePath(dirOf(path), specifier);
      // An import out of the code root cannot be served; workerd reports it when starting.
      if (target !== null && !(target in modules)) pending.push(target);
    }
  }
  return { ok: true, map: { entry, modules } };
}
