import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** API-key groups; the group with id `management` is built in. */
export const apiKeyGroups = sqliteTable("api_key_groups", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  description: text("description"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** API keys: the value is stored encrypted, plus an HMAC-SHA256 used for lookup. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id")
      .notNull()
      .references(() => apiKeyGroups.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    valueEncrypted: text("value_encrypted").notNull(),
    valueHash: text("value_hash").notNull(),
    description: text("description"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("api_keys_group_name").on(t.groupId, t.name),
    index("api_keys_group_hash").on(t.groupId, t.valueHash),
  ],
);
