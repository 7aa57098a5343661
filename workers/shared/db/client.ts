import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "../../../schema";

export type Database = DrizzleD1Database<typeof schema>;

const clients = new WeakMap<D1Database, Database>();

/** The drizzle client over `env.DB` (real D1 under wrangler, the D1 adapter under workerd). */
export function database(env: Pick<Env, "DB">): Database {
  let client = clients.get(env.DB);
  if (client === undefined) {
    client = drizzle(env.DB, { schema });
    clients.set(env.DB, client);
  }
  return client;
}
