import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

const dialect = new SQLiteAsyncDialect();

/**
 * Runs statements written with drizzle's `sql` template in one D1 batch (one transaction) and
 * answers each one's rows. drizzle's own `db.batch` cannot take raw `sql` statements that bind
 * parameters (it looks for a prepared statement they do not have), so they are compiled by
 * drizzle's SQLite dialect and handed to `env.DB` here, the one place that does so.
 */
export async function sqlBatch(env: Pick<Env, "DB">, statements: readonly SQL[]): Promise<Record<string, unknown>[][]> {
  if (statements.length === 0) return [];
  const prepared = statements.map((statement) => {
    const query = dialect.sqlToQuery(statement);
    return env.DB.prepare(query.sql).bind(...query.params);
  });
  const results = await env.DB.batch<Record<string, unknown>>(prepared);
  return results.map((result) => result.results);
}
