import { sql } from "drizzle-orm";
import { settings } from "../../../schema";
import { bumpConfigVersion, cachedByVersionPer } from "../config-version";
import { nowIso } from "../ids";
import { SETTINGS, settingDefinition } from "../settings";
import { database } from "./client";

/** Inserts the default of every setting that has no row yet; never overwrites. */
export async function ensureDefaultSettings(env: Pick<Env, "DB">): Promise<void> {
  const now = nowIso();
  await database(env)
    .insert(settings)
    .values(SETTINGS.map((s) => ({ name: s.name, value: s.default, isEncrypted: false, updatedAt: now })))
    .onConflictDoNothing({ target: settings.name })
    .run();
}

const loadSettings = cachedByVersionPer(async (db: D1Database): Promise<Map<string, string>> => {
  const rows = await database({ DB: db }).select().from(settings).orderBy(sql`rowid`).all();
  return new Map(rows.map((r) => [r.name, r.value]));
});

/** Every setting's current value, cached until the next configuration write. */
export function currentSettings(env: Pick<Env, "DB">): Promise<Map<string, string>> {
  return loadSettings(env.DB);
}

/** One setting's value, falling back to its default. */
export async function settingValue(env: Pick<Env, "DB">, name: string): Promise<string> {
  const value = (await currentSettings(env)).get(name);
  return value ?? settingDefinition(name)?.default ?? "";
}

/** A numeric setting, falling back to its default when the stored text is not a number. */
export async function settingNumber(env: Pick<Env, "DB">, name: string): Promise<number> {
  const n = Number.parseInt(await settingValue(env, name), 10);
  if (!Number.isNaN(n)) return n;
  return Number.parseInt(settingDefinition(name)?.default ?? "0", 10);
}

/** Every stored setting in storage order, with its default. */
export async function listSettings(env: Pick<Env, "DB">): Promise<{ name: string; value: string; default: string }[]> {
  const rows = await database(env).select().from(settings).orderBy(sql`rowid`).all();
  return rows.map((r) => ({ name: r.name, value: r.value, default: settingDefinition(r.name)?.default ?? "" }));
}

/** Writes several settings in one transaction. */
export async function updateSettings(env: Pick<Env, "DB">, values: Record<string, string>): Promise<number> {
  const db = database(env);
  const now = nowIso();
  const writes = Object.entries(values).map(([name, value]) =>
    db
      .insert(settings)
      .values({ name, value, isEncrypted: false, updatedAt: now })
      .onConflictDoUpdate({ target: settings.name, set: { value, updatedAt: now } }),
  );
  const [first, ...rest] = writes;
  if (first === undefined) return 0;
  await db.batch([first, ...rest]);
  bumpConfigVersion();
  return writes.length;
}
