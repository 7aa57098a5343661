/**
 * SourceStore — owns the files of one code source (one instance per source id, named by it).
 *
 * Why a Durable Object: a file of a code source may be 50 MB, workerd has no writable disk
 * we could share safely between processes, and SQLite rows must stay small. So each file is a
 * row in `files` (path, size, mtime, chunk count, generation) and its bytes are ≤ 1 MiB BLOB
 * rows in `chunks`, keyed by (generation, seq).
 *
 * Writes stream in: the body is read piece by piece and its chunks go under a fresh
 * generation, so a large upload never sits in memory as one string. Only when the whole body
 * has arrived is the file row pointed at the new generation, in one synchronous transaction;
 * a reader therefore sees the old bytes or the new ones, never a mix. The maximum size is
 * enforced while streaming and answered as a typed result.
 *
 * A git sync replaces the whole tree: its files are staged under fresh generations (rows in
 * `staged`, over several calls), then `commitReplace` points `files` at them in one
 * transaction, so a reader sees the old tree or the new one, never half a sync. A staging
 * lives in memory only; after a restart its leftovers are removed with the other orphans.
 *
 * Readers stream out chunk by chunk. A generation replaced or deleted while a stream still
 * reads it is kept until that stream ends; chunks no file points at (a write cut short by a
 * restart) are removed when the object starts.
 */
import { DurableObject } from "cloudflare:workers";
import { CHUNK_BYTES, createTables, dropGeneration, insertChunk, readChunk, receiveChunks } from "./source-store-tables";

export { CHUNK_BYTES };

export interface FileInfo {
  path: string;
  size: number;
  mtime: string;
}

export interface FileStream extends FileInfo {
  body: ReadableStream<Uint8Array>;
}

export interface WriteOptions {
  /** POST: refuse to replace an existing file. PUT: replace it. */
  createOnly: boolean;
  maxBytes: number;
}

/** A file of a whole-tree replacement, sent in batches. */
export interface StagedFile {
  path: string;
  bytes: Uint8Array;
}

export type WriteResult =
  | { ok: true; created: boolean; size: number }
  | { ok: false; reason: "exists" }
  | { ok: false; reason: "too-large"; size: number }
  | { ok: false; reason: "incomplete" };

type FileRow = { path: string; size: number; mtime: string; chunks: number; generation: number };

export class SourceStore extends DurableObject<Env> {
  private nextGeneration = 1;
  /** Open read streams per generation. */
  private readonly readers = new Map<number, number>();
  /** Generations no file points at any more, kept while a stream still reads them. */
  private readonly retired = new Set<number>();
  /** Whole-tree replacements in progress. */
  private readonly stagings = new Set<number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.createTables();
    ctx.storage.sql.exec("DELETE FROM staged");
    ctx.storage.sql.exec("DELETE FROM chunks WHERE generation NOT IN (SELECT generation FROM files)");
    const row = ctx.storage.sql.exec<{ g: number }>("SELECT COALESCE(MAX(generation), 0) + 1 AS g FROM files").one();
    this.nextGeneration = row.g;
  }

  private createTables(): void {
    createTables(this.ctx.storage.sql);
  }

  /** Every file, sorted by path. */
  list(): FileInfo[] {
    return this.ctx.storage.sql.exec<FileInfo & Record<string, SqlStorageValue>>("SELECT path, size, mtime FROM files ORDER BY path").toArray();
  }

  stat(path: string): FileInfo | null {
    const row = this.fileRow(path);
    return row === null ? null : { path: row.path, size: row.size, mtime: row.mtime };
  }

  /** The file's bytes as a stream, or null when there is no such file. */
  read(path: string): FileStream | null {
    const file = this.fileRow(path);
    if (file === null) return null;
    const { generation, chunks } = file;
    this.readers.set(generation, (this.readers.get(generation) ?? 0) + 1);
    let seq = 0;
    let open = true;
    const release = () => {
      if (!open) return;
      open = false;
      const left = (this.readers.get(generation) ?? 1) - 1;
      if (left > 0) this.readers.set(generation, left);
      else {
        this.readers.delete(generation);
        if (this.retired.delete(generation)) this.dropGeneration(generation);
      }
    };
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (seq >= chunks) {
          release();
          controller.close();
          return;
        }
        const data = readChunk(this.ctx.storage.sql, generation, seq++);
        if (data === null) {
          release();
          controller.error(new Error("file storage was removed while being read"));
          return;
        }
        controller.enqueue(data);
      },
      cancel: release,
    });
    return { path: file.path, size: file.size, mtime: file.mtime, body };
  }

  /** The whole file in memory, or null; for small files such as handler modules. */
  readBytes(path: string): Uint8Array | null {
    const file = this.fileRow(path);
    if (file === null) return null;
    const bytes = new Uint8Array(file.size);
    let offset = 0;
    for (let seq = 0; seq < file.chunks; seq++) {
      const data = readChunk(this.ctx.storage.sql, file.generation, seq);
      if (data === null) throw new Error(`chunk ${seq} of ${path} is missing`);
      bytes.set(data, offset);
      offset += data.byteLength;
    }
    return bytes;
  }

  /** Streams `body` in as the new content of `path`; see the file comment. */
  async write(path: string, body: ReadableStream<Uint8Array>, options: WriteOptions): Promise<WriteResult> {
    if (options.createOnly && this.fileRow(path) !== null) {
      await body.cancel().catch(() => undefined);
      return { ok: false, reason: "exists" };
    }
    const generation = this.nextGeneration++;
    const received = await receiveChunks(this.ctx.storage.sql, generation, body, options.maxBytes);
    if (!received.ok) {
      this.dropGeneration(generation);
      return received;
    }
    const mtime = new Date().toISOString();
    const previous = this.ctx.storage.transactionSync(() => {
      const existing = this.fileRow(path);
      if (existing !== null && options.createOnly) return "exists" as const;
      this.ctx.storage.sql.exec(
        `INSERT INTO files (path, size, mtime, chunks, generation) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime,
           chunks = excluded.chunks, generation = excluded.generation`,
        path,
        received.size,
        mtime,
        received.chunks,
        generation,
      );
      return existing;
    });
    if (previous === "exists") {
      this.dropGeneration(generation);
      return { ok: false, reason: "exists" };
    }
    if (previous !== null) this.retire(previous.generation);
    return { ok: true, created: previous === null, size: received.size };
  }

  /** Removes one file; false when there was none. */
  delete(path: string): boolean {
    const file = this.fileRow(path);
    if (file === null) return false;
    this.ctx.storage.sql.exec("DELETE FROM files WHERE path = ?", path);
    this.retire(file.generation);
    return true;
  }

  /** Starts a whole-tree replacement; files not staged before the commit are removed by it. */
  beginReplace(): number {
    const staging = this.nextGeneration++;
    this.stagings.add(staging);
    return staging;
  }

  /** Adds files to a replacement; false when it is unknown (aborted, or the object restarted). */
  stageFiles(staging: number, files: StagedFile[]): boolean {
    if (!this.stagings.has(staging)) return false;
    for (const { path, bytes } of files) {
      const generation = this.nextGeneration++;
      let seq = 0;
      for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
        insertChunk(this.ctx.storage.sql, generation, seq++, bytes.subarray(offset, offset + CHUNK_BYTES));
      }
      this.stageRow(staging, path, bytes.byteLength, seq, generation);
    }
    return true;
  }

  /** Streams one (large) file into a replacement; false when the staging is unknown or the body broke off. */
  async stageStream(staging: number, path: string, body: ReadableStream<Uint8Array>): Promise<boolean> {
    if (!this.stagings.has(staging)) {
      await body.cancel().catch(() => undefined);
      return false;
    }
    const generation = this.nextGeneration++;
    const received = await receiveChunks(this.ctx.storage.sql, generation, body, Number.MAX_SAFE_INTEGER);
    if (!received.ok || !this.stagings.has(staging)) {
      this.dropGeneration(generation);
      return false;
    }
    this.stageRow(staging, path, received.size, received.chunks, generation);
    return true;
  }

  /** Switches every file to the staged tree in one transaction; the file count, or null when the staging is unknown. */
  commitReplace(staging: number): number | null {
    if (!this.stagings.delete(staging)) return null;
    const mtime = new Date().toISOString();
    const previous = this.ctx.storage.transactionSync(() => {
      const old = this.ctx.storage.sql.exec<{ generation: number }>("SELECT generation FROM files").toArray();
      this.ctx.storage.sql.exec("DELETE FROM files");
      this.ctx.storage.sql.exec(
        "INSERT INTO files (path, size, mtime, chunks, generation) SELECT path, size, ?, chunks, generation FROM staged WHERE staging = ?",
        mtime,
        staging,
      );
      this.ctx.storage.sql.exec("DELETE FROM staged WHERE staging = ?", staging);
      return old;
    });
    for (const { generation } of previous) this.retire(generation);
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM files").one().n;
  }

  /** Drops a replacement and everything staged for it. */
  abortReplace(staging: number): void {
    if (!this.stagings.delete(staging)) return;
    const rows = this.ctx.storage.sql.exec<{ generation: number }>("SELECT generation FROM staged WHERE staging = ?", staging).toArray();
    this.ctx.storage.sql.exec("DELETE FROM staged WHERE staging = ?", staging);
    for (const { generation } of rows) this.dropGeneration(generation);
  }

  /** Removes every file and the object's storage (the source is being deleted). */
  async deleteAll(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.retired.clear();
    this.stagings.clear();
    this.createTables();
  }

  private stageRow(staging: number, path: string, size: number, chunks: number, generation: number): void {
    const replaced = this.ctx.storage.sql
      .exec<{ generation: number }>("SELECT generation FROM staged WHERE staging = ? AND path = ?", staging, path)
      .toArray()[0];
    if (replaced !== undefined) this.dropGeneration(replaced.generation);
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO staged (staging, path, size, chunks, generation) VALUES (?, ?, ?, ?, ?)",
      staging,
      path,
      size,
      chunks,
      generation,
    );
  }

  private fileRow(path: string): FileRow | null {
    const row = this.ctx.storage.sql
      .exec<FileRow>("SELECT path, size, mtime, chunks, generation FROM files WHERE path = ?", path)
      .toArray()[0];
    return row ?? null;
  }

  private retire(generation: number): void {
    if ((this.readers.get(generation) ?? 0) > 0) this.retired.add(generation);
    else this.dropGeneration(generation);
  }

  private dropGeneration(generation: number): void {
    dropGeneration(this.ctx.storage.sql, generation);
  }
}
