/**
 * D1 adapter: the factory of the wrapped `DB` binding in config.capnp (an internal extension
 * module, bundled on its own into dist/d1-adapter.js). It serves the part of the D1 API that
 * drizzle-orm/d1 and our migrator use, over the SqlDatabase Durable Object.
 *
 * A Durable Object stub may not be used across requests, and the factory runs at start-up, so
 * every call gets a fresh stub (cheap) instead of holding one.
 */
import type { Outcome, SqlDatabase, SqlResult, SqlValue } from "../../durable-objects/sql-database";

interface InnerEnv {
  database: DurableObjectNamespace<SqlDatabase>;
}

type Bound = unknown;

/** Unwraps a SqlDatabase answer, throwing its error here, in the caller's isolate, as D1 does. */
async function unwrap<T>(outcome: Promise<unknown>): Promise<T> {
  const result = (await outcome) as Outcome<T>;
  if ("error" in result) throw new Error(`D1_ERROR: ${result.error}`);
  return result.value;
}

function toSqlValue(value: Bound): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || typeof value === "number") return value;
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) {
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  }
  throw new TypeError(`D1_TYPE_ERROR: Type '${typeof value}' not supported for value '${String(value)}'`);
}

class Statement {
  constructor(
    private readonly database: () => DurableObjectStub<SqlDatabase>,
    readonly sql: string,
    readonly params: SqlValue[] = [],
  ) {}

  bind(...values: Bound[]): Statement {
    return new Statement(this.database, this.sql, values.map(toSqlValue));
  }

  all(): Promise<SqlResult> {
    return unwrap<SqlResult>(this.database().all(this.sql, this.params));
  }

  run(): Promise<SqlResult> {
    return this.all();
  }

  async first(column?: string): Promise<unknown> {
    const { results } = await this.all();
    const row = results[0];
    if (row === undefined) return null;
    return column === undefined ? row : (row[column] ?? null);
  }

  raw(options?: { columnNames?: boolean }): Promise<SqlValue[][]> {
    return unwrap<SqlValue[][]>(this.database().raw(this.sql, this.params, options?.columnNames === true));
  }
}

class D1Adapter {
  constructor(private readonly env: InnerEnv) {}

  readonly #stub = (): DurableObjectStub<SqlDatabase> => this.env.database.get(this.env.database.idFromName("main"));

  prepare(sql: string): Statement {
    return new Statement(this.#stub, sql);
  }

  batch(statements: Statement[]): Promise<SqlResult[]> {
    return unwrap<SqlResult[]>(this.#stub().batch(statements.map((s) => [s.sql, s.params])));
  }

  exec(sql: string): Promise<{ count: number; duration: number }> {
    return unwrap<{ count: number; duration: number }>(this.#stub().exec(sql));
  }

  withSession(): D1Adapter {
    return this;
  }
}

/** Builds the `DB` binding from its inner bindings. */
export default function makeD1(env: InnerEnv): D1Adapter {
  return new D1Adapter(env);
}
export { D1Adapter };
