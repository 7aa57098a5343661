/**
 * One sync of a git source (spec §5.3): fetch its ref into memory, stage every file in the
 * source's SourceStore and switch to them at once, and record the start and the end on the
 * source row. A failure keeps the files the source had and stores a token-free message.
 */
import { findSource, recordSyncFinished, recordSyncStarted } from "../db/sources";
import { isGitInternalPath, tryNormalizeFilePath } from "../file-paths";
import { nowIso } from "../ids";
import { decryptValue } from "../keyring";
import { replaceSourceFiles, type TreeReplacement } from "../source-files";
import { gitUrlProblem, isGitTypeSettings, isInsecureGitHttpAllowed } from "../source-settings";
import { checkoutTree, CheckoutError, redactToken } from "./checkout";
import type { FetchFunction } from "./http-client";

/** Most bytes one sync may download (the pack of a shallow clone, or a full one for a commit). */
export const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;
export const MAX_FILES = 50_000;
export const SYNC_TIMEOUT_MS = 10 * 60 * 1000;

export type SyncOutcome =
  | { kind: "synced"; commit: string; files: number; bytes: number }
  | { kind: "failed"; error: string }
  /** The source no longer exists or is not a git source: nothing to do, nothing recorded. */
  | { kind: "gone" };

/**
 * The outbound git requests use. Public addresses only, like the runtime's default; with
 * ALLOW_INSECURE_GIT_HTTP=true the GIT_NETWORK service, which also reaches private and
 * loopback addresses (in-house servers, and the tests' local git server).
 */
export function gitFetch(env: Env): FetchFunction {
  if (isInsecureGitHttpAllowed(env.ALLOW_INSECURE_GIT_HTTP)) return (url, init) => env.GIT_NETWORK.fetch(url, init);
  return (url, init) => fetch(url, init);
}

/** Syncs one source now; `isCurrent` turning false (the source was deleted) stops it before the switch. */
export async function syncGitSource(env: Env, sourceId: string, isCurrent: () => boolean): Promise<SyncOutcome> {
  const source = await findSource(env, sourceId);
  if (source === undefined || source.type !== "git" || !isGitTypeSettings(source.typeSettings)) return { kind: "gone" };
  const settings = source.typeSettings;
  const startedAt = Date.now();
  await recordSyncStarted(env, source.id, nowIso());
  console.log(`git sync of source ${source.name}: started`);
  let token: string | undefined;
  let replacement: TreeReplacement | undefined;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error("Sync timed out")), SYNC_TIMEOUT_MS);
  try {
    const urlProblem = gitUrlProblem(settings.url, isInsecureGitHttpAllowed(env.ALLOW_INSECURE_GIT_HTTP));
    if (urlProblem !== null) throw new CheckoutError(urlProblem);
    if (settings.authToken !== undefined) {
      token = await decryptValue(env, settings.authToken).catch(() => {
        throw new CheckoutError("The access token could not be decrypted; set typeSettings.authToken again");
      });
    }
    const target = {
      url: settings.url,
      ...(settings.branch !== undefined && { branch: settings.branch }),
      ...(settings.tag !== undefined && { tag: settings.tag }),
      ...(settings.commit !== undefined && { commit: settings.commit }),
      ...(token !== undefined && { authToken: token }),
    };
    const files = await replaceSourceFiles(env, source.id);
    replacement = files;
    const limits = { maxDownloadBytes: MAX_DOWNLOAD_BYTES, maxFiles: MAX_FILES, signal: abort.signal };
    const result = await checkoutTree(gitFetch(env), target, limits, async (path, bytes) => {
      const normalized = tryNormalizeFilePath(path);
      // Names the store cannot hold (or `.git` inside a tree) are left out, not fatal.
      if (normalized !== null && !isGitInternalPath(normalized)) await files.add(normalized, bytes);
    });
    if (!isCurrent()) {
      await files.abort();
      return { kind: "gone" };
    }
    await files.commit();
    replacement = undefined;
    await recordSyncFinished(env, source.id, nowIso(), null);
    const megabytes = (result.bytes / 1_048_576).toFixed(1);
    console.log(`git sync of source ${source.name}: ${result.files} file(s), ${megabytes} MB at ${result.commit.slice(0, 12)} in ${Date.now() - startedAt} ms`);
    return { kind: "synced", ...result };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const message = redactToken(error instanceof CheckoutError ? raw : `Sync failed: ${raw}`, token).slice(0, 500);
    await replacement?.abort().catch(() => undefined);
    console.warn(`git sync of source ${source.id} failed: ${message}`);
    if (isCurrent()) await recordSyncFinished(env, source.id, nowIso(), message);
    return { kind: "failed", error: message };
  } finally {
    clearTimeout(timer);
  }
}
