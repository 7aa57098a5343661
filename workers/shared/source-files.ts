/**
 * The files of code sources, as the rest of the platform sees them: a small client over the
 * SourceStore Durable Objects. It takes a fresh stub per call (stubs must not outlive a
 * request) and bumps the configuration version on every write, so the /run module cache
 * notices edits.
 */
import type { FileInfo, FileStream, StagedFile, WriteResult } from "../../durable-objects/source-store";
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

/** Files up to this size travel in batches; bigger ones are streamed one by one. */
const BATCH_BYTES = 4 * 1024 * 1024;

/** A whole-tree replacement in progress: `add` every file, then `commit` (or `abort`). */
export interface TreeReplacement {
  add(path: string, bytes: Uint8Array): Promise<void>;
  /** Switches the source to the added files at once; returns how many it now has. */
  commit(): Promise<number>;
  abort(): Promise<void>;
}

/**
 * Replaces every file of a source by a new tree in one switch (a git sync): readers see the
 * old files until `commit`, and an abort or a failure leaves them untouched.
 */
export async function replaceSourceFiles(env: Env, sourceId: string): Promise<TreeReplacement> {
  const staging = await store(env, sourceId).beginReplace();
  let batch: StagedFile[] = [];
  let batchBytes = 0;
  const lost = () => new Error("the file store restarted during the sync");
  const flush = async () => {
    if (batch.length === 0) return;
    const files = batch;
    batch = [];
    batchBytes = 0;
    if (!(await store(env, sourceId).stageFiles(staging, files))) throw lost();
  };
  return {
    async add(path, bytes) {
      if (bytes.byteLength > BATCH_BYTES) {
        const body = new Blob([bytes]).stream();
        if (!(await store(env, sourceId).stageStream(staging, path, body))) throw lost();
        return;
      }
      if (batchBytes + bytes.byteLength > BATCH_BYTES) await flush();
      batch.push({ path, bytes });
      batchBytes += bytes.byteLength;
    },
    async commit() {
      await flush();
      const count = await store(env, sourceId).commitReplace(staging);
      if (count === null) throw lost();
      bumpConfigVersion();
      return count;
    },
    async abort() {
      batch = [];
      await store(env, sourceId).abortReplace(staging);
    },
  };
}
