import { asc, eq } from "drizzle-orm";
import { codeSources } from "../../../schema";
import { bumpConfigVersion, cachedByVersion } from "../config-version";
import { newId, nowIso } from "../ids";
import { encryptValue } from "../keyring";
import { isGitTypeSettings, REDACTED, type SourceType, type SyncSettings, type TypeSettings } from "../source-settings";
import { database } from "./client";

/**
 * A code source row. The secret members of its settings (`authToken`, `webhookSecret`) hold
 * ciphertext here; they are only ever decrypted by the sync engine and never leave the server.
 */
export interface SourceRecord {
  id: string;
  name: string;
  type: SourceType;
  enabled: boolean;
  typeSettings: TypeSettings;
  syncSettings: SyncSettings;
  lastSyncStartedAt: string | null;
  lastSyncAt: string | null;
  lastSyncError: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = typeof codeSources.$inferSelect;

function toRecord(row: Row): SourceRecord {
  return {
    ...row,
    typeSettings: JSON.parse(row.typeSettings) as TypeSettings,
    syncSettings: JSON.parse(row.syncSettings) as SyncSettings,
  };
}

/**
 * Encrypts a secret given in plaintext. `"***REDACTED***"` sent back by a client keeps the
 * stored ciphertext (and, with nothing stored, stores nothing) instead of storing the literal.
 */
async function sealSecret(env: Env, given: string | undefined, stored: string | undefined): Promise<string | undefined> {
  if (given === undefined) return undefined;
  if (given === REDACTED) return stored;
  return encryptValue(env, given);
}

async function sealTypeSettings(env: Env, given: TypeSettings, stored: TypeSettings): Promise<TypeSettings> {
  if (!isGitTypeSettings(given)) return {};
  const authToken = await sealSecret(env, given.authToken, isGitTypeSettings(stored) ? stored.authToken : undefined);
  const { authToken: _plain, ...rest } = given;
  return authToken === undefined ? rest : { ...rest, authToken };
}

async function sealSyncSettings(env: Env, given: SyncSettings, stored: SyncSettings): Promise<SyncSettings> {
  const webhookSecret = await sealSecret(env, given.webhookSecret, stored.webhookSecret);
  const { webhookSecret: _plain, ...rest } = given;
  return webhookSecret === undefined ? rest : { ...rest, webhookSecret };
}

/** Every source, sorted by name. */
export async function listSources(env: Env): Promise<SourceRecord[]> {
  const rows = await database(env).select().from(codeSources).orderBy(asc(codeSources.name)).all();
  return rows.map(toRecord);
}

export async function findSource(env: Env, id: string): Promise<SourceRecord | undefined> {
  const row = await database(env).select().from(codeSources).where(eq(codeSources.id, id)).get();
  return row === undefined ? undefined : toRecord(row);
}

export async function findSourceByName(env: Env, name: string): Promise<SourceRecord | undefined> {
  const row = await database(env).select().from(codeSources).where(eq(codeSources.name, name)).get();
  return row === undefined ? undefined : toRecord(row);
}

/** Creates a source; the settings' secrets arrive in plaintext and are stored encrypted. */
export async function insertSource(
  env: Env,
  input: { name: string; type: SourceType; enabled: boolean; typeSettings: TypeSettings; syncSettings: SyncSettings },
): Promise<SourceRecord> {
  const now = nowIso();
  const row: Row = {
    id: newId(),
    name: input.name,
    type: input.type,
    enabled: input.enabled,
    typeSettings: JSON.stringify(await sealTypeSettings(env, input.typeSettings, {})),
    syncSettings: JSON.stringify(await sealSyncSettings(env, input.syncSettings, {})),
    lastSyncStartedAt: null,
    lastSyncAt: null,
    lastSyncError: null,
    createdAt: now,
    updatedAt: now,
  };
  await database(env).insert(codeSources).values(row).run();
  bumpConfigVersion();
  return toRecord(row);
}

/** Replaces each given settings object wholesale (secrets sent back as REDACTED are kept). */
export async function updateSource(
  env: Env,
  current: SourceRecord,
  changes: { enabled?: boolean; typeSettings?: TypeSettings; syncSettings?: SyncSettings },
): Promise<SourceRecord> {
  const typeSettings =
    changes.typeSettings === undefined ? current.typeSettings : await sealTypeSettings(env, changes.typeSettings, current.typeSettings);
  const syncSettings =
    changes.syncSettings === undefined ? current.syncSettings : await sealSyncSettings(env, changes.syncSettings, current.syncSettings);
  const updated: SourceRecord = { ...current, enabled: changes.enabled ?? current.enabled, typeSettings, syncSettings, updatedAt: nowIso() };
  await database(env)
    .update(codeSources)
    .set({
      enabled: updated.enabled,
      typeSettings: JSON.stringify(typeSettings),
      syncSettings: JSON.stringify(syncSettings),
      updatedAt: updated.updatedAt,
    })
    .where(eq(codeSources.id, current.id))
    .run();
  bumpConfigVersion();
  return updated;
}

/** A sync started: `lastSyncStartedAt` is set and the last error cleared (spec §5.3). */
export async function recordSyncStarted(env: Env, id: string, at: string): Promise<void> {
  await database(env).update(codeSources).set({ lastSyncStartedAt: at, lastSyncError: null }).where(eq(codeSources.id, id)).run();
  bumpConfigVersion();
}

/** A sync ended: on success `lastSyncAt` moves; on failure it stays and the error is kept. */
export async function recordSyncFinished(env: Env, id: string, at: string, error: string | null): Promise<void> {
  const changes = error === null ? { lastSyncStartedAt: null, lastSyncAt: at, lastSyncError: null } : { lastSyncStartedAt: null, lastSyncError: error };
  await database(env).update(codeSources).set(changes).where(eq(codeSources.id, id)).run();
  bumpConfigVersion();
}

export async function deleteSourceRow(env: Env, id: string): Promise<void> {
  await database(env).delete(codeSources).where(eq(codeSources.id, id)).run();
  bumpConfigVersion();
}

let loadIdsByName: (() => Promise<Map<string, string>>) | undefined;

/** The id of the source with this name, from a map cached until the next configuration write. */
export async function sourceIdByName(env: Env, name: string): Promise<string | undefined> {
  loadIdsByName ??= cachedByVersion(async () => {
    const rows = await database(env).select({ id: codeSources.id, name: codeSources.name }).from(codeSources).all();
    return new Map(rows.map((r) => [r.name, r.id]));
  });
  return (await loadIdsByName()).get(name);
}
