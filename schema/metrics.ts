import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Execution metrics (spec §9.4). Type 0 is one raw row per execution; types 1, 2 and 3 are
 * minute, hour and day roll-ups, whose `timestamp` is the period's start. Roll-up rows without
 * a function id are the global series. A raw row is deleted when it is rolled into a minute
 * row; a minute or hour row is marked `rolled_up` when it has been rolled into the next type,
 * so every execution is counted exactly once by "rows of the type asked for, plus rows of
 * lower types not rolled up yet" — even a row that arrives late, after its period was rolled.
 */
export const executionMetrics = sqliteTable(
  "execution_metrics",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    functionId: text("function_id"),
    type: integer("type").notNull(),
    /** Microseconds. */
    avgTime: real("avg_time").notNull(),
    /** Microseconds. */
    maxTime: real("max_time").notNull(),
    executionCount: integer("execution_count").notNull(),
    /** Epoch milliseconds. */
    timestamp: integer("timestamp").notNull(),
    rolledUp: integer("rolled_up", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("execution_metrics_type_time").on(t.type, t.rolledUp, t.timestamp),
    index("execution_metrics_function_time").on(t.functionId, t.type, t.timestamp),
  ],
);
