import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Secrets, each in one scope: global, function, group or key. `scope_ref` is the function,
 * group or key id, and the empty string for global secrets (so the unique index holds there too).
 */
export const secrets = sqliteTable(
  "secrets",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    valueEncrypted: text("value_encrypted").notNull(),
    comment: text("comment"),
    scopeType: text("scope_type", { enum: ["global", "function", "group", "key"] }).notNull(),
    scopeRef: text("scope_ref").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("secrets_name_scope").on(t.name, t.scopeType, t.scopeRef), index("secrets_scope").on(t.scopeType, t.scopeRef)],
);
