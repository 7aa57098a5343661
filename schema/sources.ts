import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Code sources. Their files live in the source's SourceStore Durable Object, not here. */
export const codeSources = sqliteTable("code_sources", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  type: text("type", { enum: ["manual", "git"] }).notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  /** JSON; secret fields inside are stored encrypted. */
  typeSettings: text("type_settings").notNull(),
  syncSettings: text("sync_settings").notNull(),
  lastSyncStartedAt: text("last_sync_started_at"),
  lastSyncAt: text("last_sync_at"),
  lastSyncError: text("last_sync_error"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});
