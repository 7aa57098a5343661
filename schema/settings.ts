import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Platform settings; every value is a string, as in the original. */
export const settings = sqliteTable("settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  isEncrypted: integer("is_encrypted", { mode: "boolean" }).notNull().default(false),
  updatedAt: text("updated_at").notNull(),
});
