/**
 * Fetches one ref of a git repository over smart HTTP into memory (isomorphic-git on a
 * throw-away in-memory file system) and hands every file of its tree to a callback. Nothing
 * is checked out to a working directory: blobs go straight from the pack to the caller.
 *
 * Ref rules (spec §5.3): `commit` > `tag` > `branch`, default branch `main`. A branch or tag
 * is fetched shallow (depth 1); a commit needs the full history of every branch, since a
 * server need not serve an arbitrary commit by id.
 */
import git, { type GitAuth } from "isomorphic-git";
import { createGitHttpClient, type FetchFunction } from "./http-client";
import { createMemoryFs } from "./memory-fs";

export interface GitTarget {
  url: string;
  branch?: string;
  tag?: string;
  commit?: string;
  /** Plaintext; after a 401 sent as the Basic-auth user name (password `x-oauth-basic`), then as the password. */
  authToken?: string;
}

export interface CheckoutLimits {
  /** Most bytes the remote may send for one sync. */
  maxDownloadBytes: number;
  /** Most files a tree may have. */
  maxFiles: number;
  signal: AbortSignal;
}

export interface CheckoutResult {
  commit: string;
  files: number;
  bytes: number;
}

/** Called once per regular file (symlinks and submodules are skipped), in tree order. */
export type OnFile = (path: string, bytes: Uint8Array) => Promise<void>;

/** A failure to report to the user; its message never contains the token. */
export class CheckoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckoutError";
  }
}

const DIR = "/repo";
const SYMLINK_MODE = "120000";

/** What the remote is asked for, and how deep. */
function refRequest(target: GitTarget): { ref?: string; singleBranch: boolean; depth?: number; label: string } {
  if (target.commit !== undefined) return { singleBranch: false, label: `commit ${target.commit}` };
  if (target.tag !== undefined) return { ref: `refs/tags/${target.tag}`, singleBranch: true, depth: 1, label: `tag '${target.tag}'` };
  const branch = target.branch ?? "main";
  return { ref: `refs/heads/${branch}`, singleBranch: true, depth: 1, label: `branch '${branch}'` };
}

/** Fetches `target` and calls `onFile` for each file of its tree. Throws CheckoutError on expected failures. */
export async function checkoutTree(fetchFn: FetchFunction, target: GitTarget, limits: CheckoutLimits, onFile: OnFile): Promise<CheckoutResult> {
  const fs = createMemoryFs();
  const http = createGitHttpClient(fetchFn, { maxBytes: limits.maxDownloadBytes, signal: limits.signal });
  const cache = {};
  const token = target.authToken;
  const onAuth = token === undefined ? undefined : (): GitAuth => ({ username: token, password: "x-oauth-basic" });
  // Refused as the user name (the original's form, GitHub's): try it once as the password, the
  // form GitLab expects, then give up instead of asking again.
  let retries = 0;
  const onAuthFailure = (): GitAuth => (retries++ === 0 && token !== undefined ? { username: "oauth2", password: token } : { cancel: true });
  const request = refRequest(target);
  try {
    await git.init({ fs, dir: DIR, defaultBranch: "main" });
    await git.addRemote({ fs, dir: DIR, remote: "origin", url: target.url });
    const fetched = await git.fetch({
      fs,
      http,
      dir: DIR,
      remote: "origin",
      ...(request.ref !== undefined && { ref: request.ref }),
      singleBranch: request.singleBranch,
      ...(request.depth !== undefined && { depth: request.depth }),
      tags: target.commit !== undefined,
      ...(onAuth !== undefined && { onAuth, onAuthFailure }),
      cache,
    });
    const oid = target.commit !== undefined ? await findCommit(fs, target.commit, cache) : fetched.fetchHead;
    if (oid === null) throw new CheckoutError(`Remote has no ${request.label}`);
    let files = 0;
    let bytes = 0;
    const walk = async (treeOid: string, prefix: string): Promise<void> => {
      const { tree } = await git.readTree({ fs, dir: DIR, oid: treeOid, cache });
      for (const entry of tree) {
        const path = `${prefix}${entry.path}`;
        if (entry.type === "tree") await walk(entry.oid, `${path}/`);
        else if (entry.type === "blob" && entry.mode !== SYMLINK_MODE) {
          if (++files > limits.maxFiles) throw new CheckoutError(`Repository has more than ${limits.maxFiles} files`);
          const { blob } = await git.readBlob({ fs, dir: DIR, oid: entry.oid, cache });
          bytes += blob.byteLength;
          await onFile(path, blob).catch((error: unknown) => {
            throw new ReceiverError(error);
          });
        }
      }
    };
    const commit = await peelToCommit(fs, oid, cache);
    await walk(commit, "");
    return { commit, files, bytes };
  } catch (error) {
    // The caller's own failure (storing a file) is not the remote's: hand it back as it was.
    if (error instanceof ReceiverError) throw error.cause;
    throw new CheckoutError(describeFailure(error, request.label, token));
  }
}

/** Wraps an error thrown by `onFile`. */
class ReceiverError extends Error {
  constructor(override readonly cause: unknown) {
    super("onFile failed");
  }
}

/** The commit an oid names, through annotated tags. */
async function peelToCommit(fs: ReturnType<typeof createMemoryFs>, oid: string, cache: object): Promise<string> {
  for (let depth = 0; depth < 10; depth++) {
    const { type } = await git.readObject({ fs, dir: DIR, oid, format: "content", cache });
    if (type === "commit") return oid;
    if (type !== "tag") throw new CheckoutError(`Ref points at a ${type}, not a commit`);
    oid = (await git.readTag({ fs, dir: DIR, oid, cache })).tag.object;
  }
  throw new CheckoutError("Tag chain is too long");
}

async function findCommit(fs: ReturnType<typeof createMemoryFs>, commit: string, cache: object): Promise<string> {
  if (!/^[0-9a-fA-F]{4,40}$/.test(commit)) throw new CheckoutError(`Invalid commit id '${commit}'`);
  try {
    return await git.expandOid({ fs, dir: DIR, oid: commit.toLowerCase(), cache });
  } catch {
    throw new CheckoutError(`Commit '${commit}' not found in the repository`);
  }
}

/** A one-line, token-free description of why a fetch failed. */
export function describeFailure(error: unknown, label: string, token: string | undefined): string {
  if (error instanceof CheckoutError) return redactToken(error.message, token);
  const raw = error instanceof Error ? error.message : String(error);
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  let message: string;
  if (code === "NotFoundError" || code === "ResolveRefError") message = `Remote has no ${label}`;
  else if (code === "UserCanceledError") message = "Authentication failed: the remote refused the token";
  else if (code === "HttpError" && /\b401\b/.test(raw)) message = token === undefined ? "Authentication required: the remote answered 401 (set typeSettings.authToken)" : "Authentication failed: the remote refused the token";
  else if (code === "HttpError") message = `Remote answered ${raw.replace(/^HTTP Error:\s*/, "").split("\n")[0] ?? raw}`;
  else if (error instanceof Error && error.name === "AbortError") message = "Sync timed out";
  else message = `Fetch failed: ${raw.split("\n")[0] ?? raw}`;
  return redactToken(message, token).slice(0, 500);
}

/** Removes the token in every form it could take in a message (plain, URL-encoded, Basic auth). */
export function redactToken(message: string, token: string | undefined): string {
  let out = message.replace(/(\/\/)[^/@\s]*@/g, "$1***@");
  if (token === undefined || token === "") return out;
  const forms = [token, encodeURIComponent(token), basic(`${token}:x-oauth-basic`), basic(`${token}:`), basic(`oauth2:${token}`)];
  for (const form of forms) if (form !== "") out = out.split(form).join("***");
  return out;
}

function basic(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
