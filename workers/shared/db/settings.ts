import { sql } from "drizzle-orm";
import { settings } from "../../../schema";
import { cachedByVersionPer } from "../config-version";
import { nowIso } from "../ids";
import { SETTINGS } from "../settings";
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
  return value ?? SETTINGS.find((s) => s.name === name)?.default ?? "";
}

/** A numeric setting, falling back to its default when the stored text is not a number. */
export async function settingNumber(env: Pick<Env, "DB">, name: string): Promise<number> {
  const n = Number.parseInt(await settingValue(env, name), 10);
  if (!Number.isNaN(n)) return n;
  return Number.parseInt(SETTINGS.find((s) => s.name === name)?.default ?? "0", 10);
}
