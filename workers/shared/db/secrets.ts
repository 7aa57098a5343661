import { and, asc, eq, type SQL } from "drizzle-orm";
import { secrets } from "../../../schema";
import { bumpConfigVersion, cachedByVersionPer } from "../config-version";
import { newId, nowIso } from "../ids";
import { decryptValue, encryptValue } from "../keyring";
import { database } from "./client";

export type ScopeType = "global" | "function" | "group" | "key";
export const SCOPE_TYPES: readonly ScopeType[] = ["global", "function", "group", "key"];

/** A secret as the API shows it; `value` and `decryptionError` only when values are asked for. */
export interface SecretView {
  id: string;
  name: string;
  comment: string | null;
  scopeType: ScopeType;
  scopeRef: string | null;
  createdAt: string;
  updatedAt: string;
  value?: string;
  decryptionError?: string | null;
}

type Row = typeof secrets.$inferSelect;

async function view(env: Env, row: Row, withValue: boolean): Promise<SecretView> {
  const { valueEncrypted, scopeRef, ...rest } = row;
  const base: SecretView = { ...rest, scopeRef: scopeRef === "" ? null : scopeRef };
  if (!withValue) return base;
  try {
    return { ...base, value: await decryptValue(env, valueEncrypted), decryptionError: null };
  } catch (error) {
    // One unreadable value must not fail a whole listing: report it in place.
    return { ...base, value: "", decryptionError: error instanceof Error ? error.message : String(error) };
  }
}

export interface SecretFilter {
  scopeType?: ScopeType;
  scopeRef?: { type: Exclude<ScopeType, "global">; id: string };
  name?: string;
}

/** Secrets matching a filter, ordered by name. */
export async function listSecrets(env: Env, filter: SecretFilter, withValues: boolean): Promise<SecretView[]> {
  const conditions: SQL[] = [];
  if (filter.scopeType !== undefined) conditions.push(eq(secrets.scopeType, filter.scopeType));
  if (filter.scopeRef !== undefined) {
    conditions.push(eq(secrets.scopeType, filter.scopeRef.type), eq(secrets.scopeRef, filter.scopeRef.id));
  }
  if (filter.name !== undefined) conditions.push(eq(secrets.name, filter.name));
  const rows = await database(env)
    .select()
    .from(secrets)
    .where(and(...conditions))
    .orderBy(asc(secrets.name), asc(secrets.scopeType), asc(secrets.scopeRef))
    .all();
  return Promise.all(rows.map((row) => view(env, row, withValues)));
}

export async function findSecret(env: Env, id: string): Promise<SecretView | undefined> {
  const row = await database(env).select().from(secrets).where(eq(secrets.id, id)).get();
  return row === undefined ? undefined : view(env, row, true);
}

export async function findSecretInScope(env: Env, name: string, scopeType: ScopeType, scopeRef: string): Promise<boolean> {
  const row = await database(env)
    .select({ id: secrets.id })
    .from(secrets)
    .where(and(eq(secrets.name, name), eq(secrets.scopeType, scopeType), eq(secrets.scopeRef, scopeRef)))
    .get();
  return row !== undefined;
}

export async function insertSecret(
  env: Env,
  input: { name: string; value: string; comment: string | null; scopeType: ScopeType; scopeRef: string },
): Promise<{ id: string }> {
  const now = nowIso();
  const id = newId();
  const { value, ...rest } = input;
  await database(env)
    .insert(secrets)
    .values({ id, ...rest, valueEncrypted: await encryptValue(env, value), createdAt: now, updatedAt: now })
    .run();
  bumpConfigVersion();
  return { id };
}

export async function updateSecret(env: Env, id: string, changes: { value?: string; comment?: string | null }): Promise<void> {
  await database(env)
    .update(secrets)
    .set({
      ...(changes.value !== undefined && { valueEncrypted: await encryptValue(env, changes.value) }),
      ...(changes.comment !== undefined && { comment: changes.comment }),
      updatedAt: nowIso(),
    })
    .where(eq(secrets.id, id))
    .run();
  bumpConfigVersion();
}

export async function deleteSecret(env: Env, id: string): Promise<void> {
  await database(env).delete(secrets).where(eq(secrets.id, id)).run();
  bumpConfigVersion();
}

/** The statement that deletes every secret of one scope; part of a cascade batch. */
export function deleteScopedSecrets(env: Pick<Env, "DB">, scopeType: Exclude<ScopeType, "global">, scopeRef: string) {
  return database(env).delete(secrets).where(and(eq(secrets.scopeType, scopeType), eq(secrets.scopeRef, scopeRef)));
}

/** `scopeType:scopeRef:name` → ciphertext of every secret, rebuilt after each write. */
const secretIndex = cachedByVersionPer(async (db: D1Database): Promise<Map<string, string>> => {
  const rows = await database({ DB: db })
    .select({ name: secrets.name, scopeType: secrets.scopeType, scopeRef: secrets.scopeRef, value: secrets.valueEncrypted })
    .from(secrets)
    .all();
  return new Map(rows.map((r) => [`${r.scopeType}:${r.scopeRef}:${r.name}`, r.value]));
});

/** The decrypted value of one scoped secret, from memory; undefined when it does not exist. */
export async function lookupSecret(env: Env, name: string, scopeType: ScopeType, scopeRef: string): Promise<string | undefined> {
  const ciphertext = (await secretIndex(env.DB)).get(`${scopeType}:${scopeRef}:${name}`);
  if (ciphertext === undefined) return undefined;
  return decryptValue(env, ciphertext);
}
