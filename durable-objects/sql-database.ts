/**
 * SqlDatabase — the storage behind the `DB` binding under plain workerd, which has no D1.
 *
 * One instance (named "main") owns one SQLite database. The D1 adapter in
 * workers/d1-adapter/ turns D1 calls (prepare/bind/all/raw/run/first/batch/exec) into the RPC
 * methods below, so application code sees the same D1 API on every runtime. A batch runs in one
 * transaction, as it does on D1.
 */
import { DurableObject } from "cloudflare:workers";

export type SqlValue = string | number | null | ArrayBuffer;

export interface SqlResult {
  results: Record<string, SqlValue>[];
  success: true;
  meta: { changes: number; last_row_id: number; rows_read: number; rows_written: number; duration: number; changed_db: boolean };
}

export class SqlDatabase extends DurableObject {
  /** Runs one statement and answers its rows as objects, with D1's result envelope. */
  all(sql: string, params: SqlValue[]): SqlResult {
    return this.#all(sql, params);
  }

  /** Runs one statement and answers its rows as arrays; with `columnNames`, the names come first. */
  raw(sql: string, params: SqlValue[], columnNames: boolean): SqlValue[][] {
    const cursor = this.ctx.storage.sql.exec(sql, ...params);
    const rows = [...cursor.raw()] as SqlValue[][];
    return columnNames ? [cursor.columnNames, ...rows] : rows;
  }

  /** Runs several statements in one transaction. */
  batch(statements: [string, SqlValue[]][]): SqlResult[] {
    return this.ctx.storage.transactionSync(() => statements.map(([sql, params]) => this.#all(sql, params)));
  }

  /** Runs a script of one or more statements. */
  exec(sql: string): { count: number; duration: number } {
    const started = Date.now();
    const statements = sql.split(/;\s*\n/).filter((s) => s.trim() !== "");
    for (const statement of statements) this.ctx.storage.sql.exec(statement);
    return { count: statements.length, duration: Date.now() - started };
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
