/**
 * The sync engine as the API sees it: a small client over the SourceSync Durable Objects (one
 * per source). A fresh stub per call; stubs and pending calls never outlive a request.
 */
import type { SyncOrigin, SyncState, TriggerResult } from "../../durable-objects/source-sync";
import type { SourceRecord } from "./db/sources";

function syncObject(env: Env, sourceId: string) {
  return env.SOURCE_SYNC.get(env.SOURCE_SYNC.idFromName(sourceId));
}

/** Queues a sync of a git source; "busy" while one is queued or running. */
export function triggerSync(env: Env, sourceId: string, origin: Exclude<SyncOrigin, "interval" | "update">): Promise<TriggerResult> {
  return syncObject(env, sourceId).trigger(sourceId, origin);
}

/** The source's ref changed: a sync follows (after the one under way, if any). */
export async function retargetSync(env: Env, sourceId: string): Promise<void> {
  await syncObject(env, sourceId).retarget(sourceId);
}

/** Makes the source's interval schedule match its settings (git sources only). */
export async function scheduleSync(env: Env, source: SourceRecord): Promise<void> {
  if (source.type !== "git") return;
  await syncObject(env, source.id).schedule(source.id, source.syncSettings.intervalSeconds ?? 0, source.enabled);
}

export function syncState(env: Env, sourceId: string): Promise<SyncState & { isSyncing: boolean }> {
  return syncObject(env, sourceId).status();
}

/** The source is being deleted: its schedule goes, and a running sync will not switch files. */
export async function forgetSync(env: Env, sourceId: string): Promise<void> {
  await syncObject(env, sourceId).forget();
}
