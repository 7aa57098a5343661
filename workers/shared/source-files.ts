/**
 * The files of code sources, as the rest of the platform sees them: a small client over the
 * SourceStore Durable Objects. It takes a fresh stub per call (stubs must not outlive a
 * request) and bumps the configuration version on every write, so the /run module cache
 * notices edits.
 */
import type { FileInfo, FileStream, WriteResult } from "../../durable-objects/source-store";
import { bumpConfigVersion } from "./config-version";
import { sourceIdByName } from "./db/sources";
import { tryNormalizeFilePath } from "./file-paths";

function store(env: Env, sourceId: string) {
  return env.SOURCE_STORE.get(env.SOURCE_STORE.idFromName(sourceId));
}

/**
 * The bytes of a file of the source with that name, or null when the source or the file does
 * not exist. `path` is normalised first, so `./lib//a.ts` finds `lib/a.ts`.
 */
export async function readSourceFile(env: Env, sourceName: string, path: string): Promise<Uint8Array | null> {
  const normalized = tryNormalizeFilePath(path);
  if (normalized === null) return null;
  const sourceId = await sourceIdByName(env, sourceName);
  if (sourceId === undefined) return null;
  return store(env, sourceId).readBytes(normalized);
}

/** Every file of a source, sorted by path. */
export function listSourceFiles(env: Env, sourceId: string): Promise<FileInfo[]> {
  return store(env, sourceId).list();
}

/** A file as a stream, or null. `path` must already be normalised. */
export function openSourceFile(env: Env, sourceId: string, path: string): Promise<FileStream | null> {
  return store(env, sourceId).read(path);
}

/** A whole file in memory, or null. `path` must already be normalised. */
export function readSourceFileById(env: Env, sourceId: string, path: string): Promise<Uint8Array | null> {
  return store(env, sourceId).readBytes(path);
}

/** Streams a new content in; POST passes `createOnly`. */
export async function writeSourceFile(
  env: Env,
  sourceId: string,
  path: string,
  body: ReadableStream<Uint8Array>,
  options: { createOnly: boolean; maxBytes: number },
): Promise<WriteResult> {
  const result = await store(env, sourceId).write(path, body, options);
  if (result.ok) bumpConfigVersion();
  return result;
}

/** Removes one file; false when it did not exist. */
export async function deleteSourceFile(env: Env, sourceId: string, path: string): Promise<boolean> {
  const deleted = await store(env, sourceId).delete(path);
  if (deleted) bumpConfigVersion();
  return deleted;
}

/** Removes every file of a source (the source is being deleted). */
export async function deleteAllSourceFiles(env: Env, sourceId: string): Promise<void> {
  await store(env, sourceId).deleteAll();
  bumpConfigVersion();
}
