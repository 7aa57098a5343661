import { z } from "zod";
import { deleteSourceRow, findSource, findSourceByName, insertSource, listSources, type SourceRecord, updateSource } from "../../shared/db/sources";
import { HttpError, isUniqueViolation, json } from "../../shared/errors";
import { readJsonObject } from "../../shared/http";
import { deleteAllSourceFiles } from "../../shared/source-files";
import { forgetSync, retargetSync, scheduleSync, syncState, triggerSync } from "../../shared/source-sync";
import {
  hasGitTargetChanged,
  isInsecureGitHttpAllowed,
  parseSyncSettings,
  parseTypeSettings,
  redactSyncSettings,
  redactTypeSettings,
  SOURCE_NAME_PATTERN,
  SOURCE_TYPES,
} from "../../shared/source-settings";
import { parseInput } from "../../shared/validation";
import type { ApiRouter } from "./router";

const INVALID_NAME =
  "Invalid source name. Must start with a letter or digit and contain only letters, digits, '-' or '_' (at most 64 characters)";
const missing = (field: string) => `Missing required field: ${field}`;
const enabled = z.boolean({ error: "enabled must be a boolean" }).optional();

const createSource = z.object({
  name: z
    .string({ error: (issue) => (issue.input == null ? missing("name") : INVALID_NAME) })
    .min(1, missing("name"))
    .regex(SOURCE_NAME_PATTERN, INVALID_NAME),
  type: z.enum(SOURCE_TYPES, {
    error: (issue) =>
      issue.input == null || issue.input === ""
        ? missing("type")
        : `Invalid source type: ${String(issue.input)}. Must be 'manual' or 'git'`,
  }),
  typeSettings: z.unknown(),
  syncSettings: z.unknown(),
  enabled,
});

const updateInput = z.object({ typeSettings: z.unknown(), syncSettings: z.unknown(), enabled });

/** A source as responses show it: secrets redacted. */
function present(source: SourceRecord) {
  return {
    id: source.id,
    name: source.name,
    type: source.type,
    typeSettings: redactTypeSettings(source.typeSettings),
    syncSettings: redactSyncSettings(source.syncSettings),
    enabled: source.enabled,
    lastSyncAt: source.lastSyncAt,
    lastSyncStartedAt: source.lastSyncStartedAt,
    lastSyncError: source.lastSyncError,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
  };
}

/** The 400 for syncing a manual source (sync endpoint and webhook). */
export function notSyncable(source: SourceRecord): HttpError {
  return new HttpError(400, `Source '${source.name}' is a manual source and cannot be synced`);
}

/** A path parameter, decoded; source ids are not validated (spec §3.3), so an undecodable one is simply unknown. */
export function decodedParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? "");
  } catch {
    return "";
  }
}

/** The source a route's `:id` names; 404 `Source not found` (or the given message) otherwise. */
export async function existingSource(env: Env, raw: string | undefined, notFound = "Source not found"): Promise<SourceRecord> {
  const source = await findSource(env, decodedParam(raw));
  if (source === undefined) throw new HttpError(404, notFound);
  return source;
}

const allowHttp = (env: Env) => isInsecureGitHttpAllowed(env.ALLOW_INSECURE_GIT_HTTP);

/** `/api/sources` (spec §5.2) and the sync endpoints (§5.3). */
export function sourceRoutes(router: ApiRouter): void {
  router.get("/sources", async (_request, env: Env) => json({ sources: (await listSources(env)).map(present) }));

  router.get("/sources/by-name/:name", async (request, env: Env) => {
    const name = decodedParam(request.params.name);
    if (!SOURCE_NAME_PATTERN.test(name)) throw new HttpError(400, "Invalid source name");
    const source = await findSourceByName(env, name);
    if (source === undefined) throw new HttpError(404, "Source not found");
    return json(present(source));
  });

  router.post("/sources", async (request, env: Env) => {
    const input = parseInput(createSource, await readJsonObject(request));
    const typeSettings = parseTypeSettings(input.type, input.typeSettings, allowHttp(env));
    const syncSettings = parseSyncSettings(input.syncSettings);
    const taken = new HttpError(409, `Code source '${input.name}' already exists`);
    if ((await findSourceByName(env, input.name)) !== undefined) throw taken;
    try {
      const source = await insertSource(env, { name: input.name, type: input.type, enabled: input.enabled ?? true, typeSettings, syncSettings });
      // As the original: an interval schedule, but no initial sync from the API.
      await scheduleSync(env, source);
      return json(present(source), 201);
    } catch (error) {
      if (isUniqueViolation(error)) throw taken;
      throw error;
    }
  });

  router.get("/sources/:id", async (request, env: Env) => json(present(await existingSource(env, request.params.id))));

  router.put("/sources/:id", async (request, env: Env) => {
    const current = await existingSource(env, request.params.id);
    const input = parseInput(updateInput, await readJsonObject(request));
    const typeSettings = input.typeSettings === undefined ? undefined : parseTypeSettings(current.type, input.typeSettings, allowHttp(env));
    const syncSettings = input.syncSettings === undefined ? undefined : parseSyncSettings(input.syncSettings);
    const updated = await updateSource(env, current, { enabled: input.enabled, typeSettings, syncSettings });
    await scheduleSync(env, updated);
    const syncTriggered = updated.type === "git" && updated.enabled && hasGitTargetChanged(current.typeSettings, updated.typeSettings);
    if (syncTriggered) await retargetSync(env, updated.id);
    return json({ ...present(updated), syncTriggered });
  });

  router.delete("/sources/:id", async (request, env: Env) => {
    const id = decodedParam(request.params.id);
    const source = await existingSource(env, request.params.id, `Code source '${id}' not found`);
    await forgetSync(env, source.id);
    await deleteAllSourceFiles(env, source.id);
    await deleteSourceRow(env, source.id);
    return json({ success: true });
  });

  router.post("/sources/:id/sync", async (request, env: Env) => {
    const source = await existingSource(env, request.params.id);
    if (source.type === "manual") throw notSyncable(source);
    const result = await triggerSync(env, source.id, "manual");
    if (!result.ok) return json({ message: "Sync already in progress" }, 409);
    return json({ message: "Sync triggered", jobId: result.jobId });
  });

  router.get("/sources/:id/status", async (request, env: Env) => {
    const source = await existingSource(env, request.params.id);
    // The SourceSync object is the truth: a queued job counts too (a trigger then answers 409).
    const isSyncing = source.type === "git" && (await syncState(env, source.id)).isSyncing;
    return json({
      isSyncable: source.type === "git",
      isEditable: source.type === "manual",
      lastSyncAt: source.lastSyncAt,
      lastSyncStartedAt: source.lastSyncStartedAt,
      lastSyncError: source.lastSyncError,
      isSyncing,
    });
  });
}
