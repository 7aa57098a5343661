import { and, asc, eq, ne } from "drizzle-orm";
import { functions } from "../../../schema";
import { bumpConfigVersion, cachedByVersionPer } from "../config-version";
import type { CorsConfig, FunctionDef, FunctionInput } from "../function-input";
import { newId, nowIso } from "../ids";
import { normalizeRoute } from "../route-patterns";
import { database } from "./client";
import { deleteLogsStatement } from "./logs";
import { deleteScopedSecrets } from "./secrets";

export type { FunctionDef };

type Row = typeof functions.$inferSelect;

function toFunctionDef(row: Row): FunctionDef {
  const keys = row.keys === null ? null : (JSON.parse(row.keys) as string[]);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    handler: row.handler,
    route: row.route,
    methods: JSON.parse(row.methods) as string[],
    keys: keys !== null && keys.length > 0 ? keys : null,
    cors: row.cors === null ? null : (JSON.parse(row.cors) as CorsConfig),
    enabled: row.enabled,
  };
}

function columns(input: FunctionInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    handler: input.handler,
    route: input.route,
    normalizedRoute: normalizeRoute(input.route),
    methods: JSON.stringify(input.methods),
    keys: input.keys !== null && input.keys !== undefined && input.keys.length > 0 ? JSON.stringify(input.keys) : null,
    cors: input.cors === null || input.cors === undefined ? null : JSON.stringify(input.cors),
  };
}

/** Every function, sorted by name. */
export async function listFunctions(env: Pick<Env, "DB">): Promise<FunctionDef[]> {
  const rows = await database(env).select().from(functions).orderBy(asc(functions.name)).all();
  return rows.map(toFunctionDef);
}

const loadFunctions = cachedByVersionPer((db: D1Database) => listFunctions({ DB: db }));

/** Every function sorted by name, from memory until the next configuration write (the /run hot path). */
export function cachedFunctions(env: Pick<Env, "DB">): Promise<FunctionDef[]> {
  return loadFunctions(env.DB);
}

export async function findFunction(env: Pick<Env, "DB">, id: string): Promise<FunctionDef | undefined> {
  const row = await database(env).select().from(functions).where(eq(functions.id, id)).get();
  return row === undefined ? undefined : toFunctionDef(row);
}

/** Another function with this name, if any. */
export async function findFunctionByName(env: Pick<Env, "DB">, name: string, exceptId?: string): Promise<{ id: string } | undefined> {
  const byName = eq(functions.name, name);
  return database(env)
    .select({ id: functions.id })
    .from(functions)
    .where(exceptId === undefined ? byName : and(byName, ne(functions.id, exceptId)))
    .get();
}

/**
 * The first other function whose normalised route equals this route's and whose methods
 * overlap `methods` (the collision rule of spec §2.3), with the methods they share.
 */
export async function findRouteConflict(
  env: Pick<Env, "DB">,
  route: string,
  methods: readonly string[],
  exceptId?: string,
): Promise<{ name: string; methods: string[] } | undefined> {
  const sameRoute = eq(functions.normalizedRoute, normalizeRoute(route));
  const rows = await database(env)
    .select({ name: functions.name, methods: functions.methods })
    .from(functions)
    .where(exceptId === undefined ? sameRoute : and(sameRoute, ne(functions.id, exceptId)))
    .orderBy(asc(functions.name))
    .all();
  for (const row of rows) {
    const theirs = JSON.parse(row.methods) as string[];
    const shared = methods.filter((m) => theirs.includes(m));
    if (shared.length > 0) return { name: row.name, methods: shared };
  }
  return undefined;
}

/** Creates an enabled function. */
export async function insertFunction(env: Pick<Env, "DB">, input: FunctionInput): Promise<FunctionDef> {
  const now = nowIso();
  const row = { id: newId(), ...columns(input), enabled: true, createdAt: now, updatedAt: now };
  await database(env).insert(functions).values(row).run();
  bumpConfigVersion();
  return toFunctionDef(row);
}

/** Replaces every client-owned field; `enabled` is left as it is. */
export async function replaceFunction(env: Pick<Env, "DB">, id: string, input: FunctionInput): Promise<void> {
  await database(env)
    .update(functions)
    .set({ ...columns(input), updatedAt: nowIso() })
    .where(eq(functions.id, id))
    .run();
  bumpConfigVersion();
}

export async function setFunctionEnabled(env: Pick<Env, "DB">, id: string, enabled: boolean): Promise<void> {
  await database(env).update(functions).set({ enabled, updatedAt: nowIso() }).where(eq(functions.id, id)).run();
  bumpConfigVersion();
}

/** Deletes a function with the secrets scoped to it and its logs. */
export async function deleteFunction(env: Pick<Env, "DB">, id: string): Promise<void> {
  await database(env).batch([
    deleteScopedSecrets(env, "function", id),
    deleteLogsStatement(env, id),
    database(env).delete(functions).where(eq(functions.id, id)),
  ]);
  bumpConfigVersion();
}
