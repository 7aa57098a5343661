/**
 * Paths of files inside a code source (spec §5.5): what a client may name, and the one
 * normal form every file is stored and looked up under. Pure; throws HttpError 400.
 */
import { HttpError } from "./errors";
import { decodeSegment } from "./http";

export const PATH_ESCAPES = "Path escapes base directory";
export const INVALID_ENCODING = "Invalid URL encoding in path";
export const MAX_PATH_LENGTH = 4096;

/**
 * The normal form of a client-given path: trimmed, repeated slashes collapsed, no trailing
 * slash, `.` and `..` resolved. Anything that would leave the source directory is refused.
 */
export function normalizeFilePath(raw: string): string {
  if (raw === "") throw new HttpError(400, "Path cannot be empty");
  if (raw.length > MAX_PATH_LENGTH) throw new HttpError(400, `Path exceeds ${MAX_PATH_LENGTH} characters`);
  if (raw.includes("\0")) throw new HttpError(400, "Path contains a NUL byte");
  if (raw.startsWith("/")) throw new HttpError(400, "Path must be relative");
  const trimmed = raw.trim().replace(/\/{2,}/g, "/").replace(/\/$/, "");
  if (trimmed === "") throw new HttpError(400, "Path cannot be empty");
  // " /etc/passwd" only becomes absolute after trimming: outside the source directory.
  if (trimmed.startsWith("/")) throw new HttpError(400, PATH_ESCAPES);
  const resolved: string[] = [];
  for (const segment of trimmed.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (resolved.pop() === undefined) throw new HttpError(400, PATH_ESCAPES);
    } else resolved.push(segment);
  }
  // "." or "a/.." name the source directory itself, which is not a file.
  if (resolved.length === 0) throw new HttpError(400, "Path must name a file");
  return resolved.join("/");
}

/** The normal form, or null when the path is not acceptable (for callers that answer "not found"). */
export function tryNormalizeFilePath(raw: string): string | null {
  try {
    return normalizeFilePath(raw);
  } catch (error) {
    if (error instanceof HttpError) return null;
    throw error;
  }
}

/**
 * The file path carried by a URL: everything after the first `skip` segments of the raw
 * pathname, percent-decoded once (so both `lib/a.ts` and `lib%2Fa.ts` work).
 */
export function filePathFromUrl(pathname: string, skip: number): string {
  return decodeSegment(pathname.split("/").slice(skip + 1).join("/"), INVALID_ENCODING);
}

/** True for paths inside a `.git` directory: never listed, searched or written. */
export function isGitInternalPath(path: string): boolean {
  return path.split("/").includes(".git");
}
