import { and, asc, eq } from "drizzle-orm";
import { apiKeyGroups, apiKeys } from "../../../schema";
import { bumpConfigVersion, cachedByVersionPer } from "../config-version";
import { lookupHash } from "../crypto";
import { newId, nowIso } from "../ids";
import { decryptValue, encryptValue, getKeyring } from "../keyring";
import { database } from "./client";
import { deleteScopedSecrets } from "./secrets";

export interface ApiKey {
  id: string;
  name: string;
  value: string;
  description: string | null;
  groupId: string;
  groupName: string;
}

/** What a key lookup answers: the key and the group it belongs to. */
export interface KeyMatch {
  keyId: string;
  keyName: string;
  groupId: string;
  groupName: string;
}

const selection = {
  id: apiKeys.id,
  name: apiKeys.name,
  valueEncrypted: apiKeys.valueEncrypted,
  description: apiKeys.description,
  groupId: apiKeys.groupId,
  groupName: apiKeyGroups.name,
};

type Row = { id: string; name: string; valueEncrypted: string; description: string | null; groupId: string; groupName: string };

async function decryptRows(env: Env, rows: Row[]): Promise<ApiKey[]> {
  return Promise.all(
    rows.map(async ({ valueEncrypted, ...rest }) => ({ ...rest, value: await decryptValue(env, valueEncrypted) })),
  );
}

/** Keys with decrypted values, ordered by group name then key name; optionally of one group. */
export async function listKeys(env: Env, groupId?: string): Promise<ApiKey[]> {
  const query = database(env).select(selection).from(apiKeys).innerJoin(apiKeyGroups, eq(apiKeys.groupId, apiKeyGroups.id));
  const rows = await (groupId === undefined ? query : query.where(eq(apiKeys.groupId, groupId)))
    .orderBy(asc(apiKeyGroups.name), asc(apiKeys.name))
    .all();
  return decryptRows(env, rows);
}

export async function findKey(env: Env, id: string): Promise<ApiKey | undefined> {
  const rows = await database(env)
    .select(selection)
    .from(apiKeys)
    .innerJoin(apiKeyGroups, eq(apiKeys.groupId, apiKeyGroups.id))
    .where(eq(apiKeys.id, id))
    .all();
  return (await decryptRows(env, rows))[0];
}

export async function findKeyByName(env: Env, groupId: string, name: string): Promise<{ id: string } | undefined> {
  return database(env)
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.groupId, groupId), eq(apiKeys.name, name)))
    .get();
}

export async function findKeyByValue(env: Env, groupId: string, value: string): Promise<{ id: string; name: string } | undefined> {
  const hash = await lookupHash(value, await getKeyring(env));
  return database(env)
    .select({ id: apiKeys.id, name: apiKeys.name })
    .from(apiKeys)
    .where(and(eq(apiKeys.groupId, groupId), eq(apiKeys.valueHash, hash)))
    .get();
}

export async function insertKey(
  env: Env,
  key: { groupId: string; name: string; value: string; description: string | null },
): Promise<{ id: string }> {
  const keyring = await getKeyring(env);
  const now = nowIso();
  const id = newId();
  await database(env)
    .insert(apiKeys)
    .values({
      id,
      groupId: key.groupId,
      name: key.name,
      valueEncrypted: await encryptValue(env, key.value),
      valueHash: await lookupHash(key.value, keyring),
      description: key.description,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  bumpConfigVersion();
  return { id };
}

export async function updateKey(
  env: Env,
  id: string,
  changes: { name?: string; value?: string; description?: string | null },
): Promise<void> {
  const keyring = await getKeyring(env);
  await database(env)
    .update(apiKeys)
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.value !== undefined && {
        valueEncrypted: await encryptValue(env, changes.value),
        valueHash: await lookupHash(changes.value, keyring),
      }),
      ...(changes.description !== undefined && { description: changes.description }),
      updatedAt: nowIso(),
    })
    .where(eq(apiKeys.id, id))
    .run();
  bumpConfigVersion();
}

/** Deletes a key and the secrets scoped to it. */
export async function deleteKey(env: Env, id: string): Promise<void> {
  await database(env).batch([deleteScopedSecrets(env, "key", id), database(env).delete(apiKeys).where(eq(apiKeys.id, id))]);
  bumpConfigVersion();
}

/** Every key's lookup hash → the keys with that value, cached until the next write. */
const keyIndex = cachedByVersionPer(async (db: D1Database): Promise<Map<string, KeyMatch[]>> => {
  const rows = await database({ DB: db })
    .select({ keyId: apiKeys.id, keyName: apiKeys.name, groupId: apiKeys.groupId, groupName: apiKeyGroups.name, hash: apiKeys.valueHash })
    .from(apiKeys)
    .innerJoin(apiKeyGroups, eq(apiKeys.groupId, apiKeyGroups.id))
    .all();
  const index = new Map<string, KeyMatch[]>();
  for (const { hash, ...match } of rows) {
    const list = index.get(hash);
    if (list === undefined) index.set(hash, [match]);
    else list.push(match);
  }
  return index;
});

/**
 * Lookup hashes of recently presented key values. The HMAC key never rotates, so an entry stays
 * right for the life of the isolate; the map is simply emptied when it grows past its bound.
 */
const recentHashes = new Map<string, string>();
const RECENT_HASHES_MAX = 1024;

async function presentedKeyHash(env: Env, value: string): Promise<string> {
  const known = recentHashes.get(value);
  if (known !== undefined) return known;
  const hash = await lookupHash(value, await getKeyring(env));
  if (recentHashes.size >= RECENT_HASHES_MAX) recentHashes.clear();
  recentHashes.set(value, hash);
  return hash;
}

/**
 * Finds the first of `groupIds` (in their order) holding a key with this value. Answers from
 * memory: no query and, for a key seen recently, no HMAC on the hot path.
 */
export async function matchKey(env: Env, value: string, groupIds: readonly string[]): Promise<KeyMatch | undefined> {
  const [index, hash] = await Promise.all([keyIndex(env.DB), presentedKeyHash(env, value)]);
  const matches = index.get(hash);
  if (matches === undefined) return undefined;
  for (const groupId of groupIds) {
    const match = matches.find((m) => m.groupId === groupId);
    if (match !== undefined) return match;
  }
  return undefined;
}

/** Makes sure a key named `bootstrap` with this value exists in the management group. */
export async function ensureBootstrapKey(env: Env, value: string, groupId: string): Promise<void> {
  const existing = await findKeyByName(env, groupId, "bootstrap");
  if (existing === undefined) {
    const sameValue = await findKeyByValue(env, groupId, value);
    if (sameValue === undefined) await insertKey(env, { groupId, name: "bootstrap", value, description: "From MANAGEMENT_API_KEY" });
    return;
  }
  const current = await findKey(env, existing.id);
  if (current?.value !== value) await updateKey(env, existing.id, { value });
}
