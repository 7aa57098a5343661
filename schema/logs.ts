import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Execution logs (spec §9.1): one row per captured line. `id` is the insertion order, which
 * is the order of every listing and cursor; `sequence` is the line's position in its call.
 */
export const executionLogs = sqliteTable(
  "execution_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id").notNull(),
    functionId: text("function_id"),
    level: text("level").notNull(),
    message: text("message").notNull(),
    /** JSON array of the remaining console arguments, or the platform event's JSON object. */
    args: text("args"),
    sequence: integer("sequence").notNull(),
    /** ISO-8601, when the line was written. */
    timestamp: text("timestamp").notNull(),
  },
  (t) => [
    index("execution_logs_function_id").on(t.functionId, t.id),
    index("execution_logs_timestamp").on(t.timestamp),
    index("execution_logs_request_id").on(t.requestId),
  ],
);
