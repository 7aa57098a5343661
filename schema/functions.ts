import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Function definitions: a handler file, a route and who may call it. */
export const functions = sqliteTable("functions", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  description: text("description"),
  handler: text("handler").notNull(),
  route: text("route").notNull(),
  /** The route with every parameter replaced by `*`; used by the collision rule. */
  normalizedRoute: text("normalized_route").notNull(),
  /** JSON array of upper-case methods. */
  methods: text("methods").notNull(),
  /** JSON array of key-group ids, or null for a public function. */
  keys: text("keys"),
  /** JSON CORS configuration, or null. */
  cors: text("cors"),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});
