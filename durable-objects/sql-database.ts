/**
 * SqlDatabase — the storage behind the `DB` binding under plain workerd, which has no D1.
 *
 * One instance (named "main") owns one SQLite database. The D1 adapter in
 * workers/d1-adapter/ turns D1 calls (prepare/bind/all/raw/run/first/batch/exec) into the RPC
 * methods below, so application code sees the same D1 API on every runtime. A batch runs in one
 * transaction, as it does on D1. A failing statement (a constraint, a syntax error) is an expected
 * outcome here: it comes back as `{ error }` and the adapter throws it in the caller's isolate,
 * with D1's `D1_ERROR:` prefix.
 */
import { DurableObject } from "cloudflare:workers";

export type SqlValue = string | number | null | ArrayBuffer;

export interface SqlResult {
  results: Record<string, SqlValue>[];
  success: true;
  meta: { changes: number; last_row_id: number; rows_read: number; rows_written: number; duration: number; changed_db: boolean };
}

/** What every method answers: its value, or the SQLite error message. */
export type Outcome<T> = { value: T } | { error: string };

function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export class SqlDatabase extends DurableObject {
  /** Runs one statement and answers its rows as objects, with D1's result envelope. */
  all(sql: string, params: SqlValue[]): Outcome<SqlResult> {
    return attempt(() => this.#all(sql, params));
  }

  /** Runs one statement and answers its rows as arrays; with `columnNames`, the names come first. */
  raw(sql: string, params: SqlValue[], columnNames: boolean): Outcome<SqlValue[][]> {
    return attempt(() => {
      const cursor = this.ctx.storage.sql.exec(sql, ...params);
      const rows = [...cursor.raw()] as SqlValue[][];
      return columnNames ? [cursor.columnNames, ...rows] : rows;
    });
  }

  /** Runs several statements in one transaction. */
  batch(statements: [string, SqlValue[]][]): Outcome<SqlResult[]> {
    return attempt(() => this.ctx.storage.transactionSync(() => statements.map(([sql, params]) => this.#all(sql, params))));
  }

  /** Runs a script of one or more statements. */
  exec(sql: string): Outcome<{ count: number; duration: number }> {
    return attempt(() => {
      const started = Date.now();
      const statements = sql.split(/;\s*\n/).filter((s) => s.trim() !== "");
      for (const statement of statements) this.ctx.storage.sql.exec(statement);
      return { count: statements.length, duration: Date.now() - started };
    });
  }

  #all(sql: string, params: SqlValue[]): SqlResult {
    const started = Date.now();
    const cursor = this.ctx.storage.sql.exec(sql, ...params);
    const results = cursor.toArray() as Record<string, SqlValue>[];
    const changes = /^\s*(insert|update|delete|replace)/i.test(sql) ? cursor.rowsWritten : 0;
    const lastRowId = changes > 0 ? Number(this.ctx.storage.sql.exec("SELECT last_insert_rowid() AS id").one().id) : 0;
    return {
      results,
      success: true,
      meta: {
        changes,
        last_row_id: lastRowId,
        rows_read: cursor.rowsRead,
        rows_written: cursor.rowsWritten,
        duration: Date.now() - started,
        changed_db: cursor.rowsWritten > 0,
      },
    };
  }
}
