import { asc, count, eq } from "drizzle-orm";
import { apiKeyGroups, apiKeys } from "../../../schema";
import { bumpConfigVersion } from "../config-version";
import { newId, nowIso } from "../ids";
import { database } from "./client";
import { deleteScopedSecrets } from "./secrets";

export const MANAGEMENT_GROUP_ID = "management";

export interface KeyGroup {
  id: string;
  name: string;
  description: string | null;
}

const columns = { id: apiKeyGroups.id, name: apiKeyGroups.name, description: apiKeyGroups.description };

/** Creates the built-in `management` group when it is missing. */
export async function ensureManagementGroup(env: Pick<Env, "DB">): Promise<void> {
  const now = nowIso();
  const result = await database(env)
    .insert(apiKeyGroups)
    .values({ id: MANAGEMENT_GROUP_ID, name: "management", description: "Management API keys", createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .run();
  if (result.meta.changes > 0) bumpConfigVersion();
}

export function listGroups(env: Pick<Env, "DB">): Promise<KeyGroup[]> {
  return database(env).select(columns).from(apiKeyGroups).orderBy(asc(apiKeyGroups.name)).all();
}

export async function findGroup(env: Pick<Env, "DB">, id: string): Promise<KeyGroup | undefined> {
  return database(env).select(columns).from(apiKeyGroups).where(eq(apiKeyGroups.id, id)).get();
}

export async function findGroupByName(env: Pick<Env, "DB">, name: string): Promise<KeyGroup | undefined> {
  return database(env).select(columns).from(apiKeyGroups).where(eq(apiKeyGroups.name, name)).get();
}

export async function insertGroup(env: Pick<Env, "DB">, name: string, description: string | null): Promise<KeyGroup> {
  const now = nowIso();
  const group = { id: newId(), name, description };
  await database(env).insert(apiKeyGroups).values({ ...group, createdAt: now, updatedAt: now }).run();
  bumpConfigVersion();
  return group;
}

export async function updateGroupDescription(env: Pick<Env, "DB">, id: string, description: string | null): Promise<void> {
  await database(env).update(apiKeyGroups).set({ description, updatedAt: nowIso() }).where(eq(apiKeyGroups.id, id)).run();
  bumpConfigVersion();
}

export async function countKeysInGroup(env: Pick<Env, "DB">, id: string): Promise<number> {
  const row = await database(env).select({ n: count() }).from(apiKeys).where(eq(apiKeys.groupId, id)).get();
  return row?.n ?? 0;
}

/** Deletes a group with its keys and every secret scoped to the group or to one of its keys. */
export async function deleteGroup(env: Pick<Env, "DB">, id: string): Promise<void> {
  const db = database(env);
  const keyIds = (await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.groupId, id)).all()).map((k) => k.id);
  await db.batch([
    deleteScopedSecrets(env, "group", id),
    ...keyIds.map((keyId) => deleteScopedSecrets(env, "key", keyId)),
    db.delete(apiKeys).where(eq(apiKeys.groupId, id)),
    database(env).delete(apiKeyGroups).where(eq(apiKeyGroups.id, id)),
  ]);
  bumpConfigVersion();
}
