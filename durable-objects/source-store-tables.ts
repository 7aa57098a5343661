/**
 * The tables of a SourceStore and the chunk-level work on them: a file's bytes are ≤ 1 MiB
 * BLOB rows in `chunks`, keyed by (generation, seq); `files` points each path at one
 * generation, and `staged` holds a whole-tree replacement until it is committed.
 */
export const CHUNK_BYTES = 1024 * 1024;

export function createTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime TEXT NOT NULL,
    chunks INTEGER NOT NULL, generation INTEGER NOT NULL)`);
  sql.exec(`CREATE TABLE IF NOT EXISTS chunks (
    generation INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (generation, seq))`);
  sql.exec(`CREATE TABLE IF NOT EXISTS staged (
    staging INTEGER NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
    chunks INTEGER NOT NULL, generation INTEGER NOT NULL, PRIMARY KEY (staging, path))`);
}

export function insertChunk(sql: SqlStorage, generation: number, seq: number, data: Uint8Array): void {
  sql.exec("INSERT INTO chunks (generation, seq, data) VALUES (?, ?, ?)", generation, seq, data.slice().buffer);
}

export function readChunk(sql: SqlStorage, generation: number, seq: number): Uint8Array | null {
  const row = sql.exec<{ data: ArrayBuffer }>("SELECT data FROM chunks WHERE generation = ? AND seq = ?", generation, seq).toArray()[0];
  return row === undefined ? null : new Uint8Array(row.data);
}

export function dropGeneration(sql: SqlStorage, generation: number): void {
  sql.exec("DELETE FROM chunks WHERE generation = ?", generation);
}

/** Reads a body into chunks of one generation, refusing more than `maxBytes` as it goes. */
export async function receiveChunks(
  sql: SqlStorage,
  generation: number,
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<{ ok: true; size: number; chunks: number } | { ok: false; reason: "too-large"; size: number } | { ok: false; reason: "incomplete" }> {
  const reader = body.getReader();
  const buffer = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  let size = 0;
  let seq = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      return { ok: false, reason: "incomplete" };
    }
    if (next.done) break;
    const piece = next.value;
    size += piece.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, reason: "too-large", size };
    }
    for (let offset = 0; offset < piece.byteLength; ) {
      const n = Math.min(CHUNK_BYTES - filled, piece.byteLength - offset);
      buffer.set(piece.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === CHUNK_BYTES) {
        insertChunk(sql, generation, seq++, buffer);
        filled = 0;
      }
    }
  }
  if (filled > 0) insertChunk(sql, generation, seq++, buffer.subarray(0, filled));
  return { ok: true, size, chunks: seq };
}
