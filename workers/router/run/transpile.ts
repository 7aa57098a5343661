import { type Transform, transform } from "sucrase";
import { sha256Hex } from "../../shared/content-hash";

export type Transpiled = { code: string } | { syntaxError: string };

/** Transpiled modules by content hash; bounded, oldest first out. */
const cache = new Map<string, Transpiled>();
const CACHE_LIMIT = 2000;

function transformsFor(path: string): Transform[] {
  if (/\.(ts|mts|cts)$/.test(path)) return ["typescript"];
  if (path.endsWith(".tsx")) return ["typescript", "jsx"];
  if (path.endsWith(".jsx")) return ["jsx"];
  if (/\.(js|mjs|cjs)$/.test(path)) return [];
  return ["typescript"];
}

/**
 * TypeScript (or JSX) to plain ES modules with sucrase: types are stripped, modern syntax and
 * import specifiers are kept as written. Cached by content hash, so an unchanged file is never
 * transpiled twice and editing one file re-transpiles only that file.
 */
export async function transpile(path: string, source: string): Promise<Transpiled> {
  const transforms = transformsFor(path);
  const key = await sha256Hex(`${transforms.join(",")}\n${source}`);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let result: Transpiled;
  try {
    result = { code: transform(source, { transforms, disableESTransforms: true, filePath: path }).code };
  } catch (error) {
    result = { syntaxError: error instanceof Error ? error.message : String(error) };
  }
  cache.set(key, result);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return result;
}
