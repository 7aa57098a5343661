import { contentTypeFor, isTextContentType } from "../../shared/content-types";
import { base64Encode } from "../../shared/crypto";
import { listSources, type SourceRecord } from "../../shared/db/sources";
import { settingNumber } from "../../shared/db/settings";
import { HttpError, json } from "../../shared/errors";
import { filePathFromUrl, isGitInternalPath, normalizeFilePath } from "../../shared/file-paths";
import { fuzzySearch } from "../../shared/fuzzy-search";
import {
  deleteSourceFile,
  listSourceFiles,
  openSourceFile,
  readSourceFileById,
  writeSourceFile,
} from "../../shared/source-files";
import { fileTooLarge, readUploadBody } from "../../shared/upload-body";
import type { ApiRouter } from "./router";
import { existingSource } from "./sources";

/** Segments before the file path in `/api/sources/:id/files/<path>`. */
const PATH_OFFSET = 4;

function requireEditable(source: SourceRecord): void {
  if (source.type !== "manual") throw new HttpError(403, `Source '${source.name}' (type: ${source.type}) is not editable`);
}

/** The normalised file path of the request, parsed from the raw URL rather than router params. */
function requestPath(request: Request): string {
  return normalizeFilePath(filePathFromUrl(new URL(request.url).pathname, PATH_OFFSET));
}

function wantsJson(request: Request): boolean {
  const accept = request.headers.get("Accept") ?? "";
  return accept.includes("application/json") && !accept.includes("*/*");
}

async function fileAsJson(env: Env, source: SourceRecord, path: string): Promise<Response> {
  const bytes = await readSourceFileById(env, source.id, path);
  if (bytes === null) throw new HttpError(404, "File not found");
  const contentType = contentTypeFor(path);
  const isText = isTextContentType(contentType);
  return json({
    path,
    content: isText ? new TextDecoder().decode(bytes) : base64Encode(bytes),
    contentType,
    size: bytes.byteLength,
    encoding: isText ? "utf-8" : "base64",
  });
}

async function fileAsBytes(env: Env, source: SourceRecord, path: string): Promise<Response> {
  const file = await openSourceFile(env, source.id, path);
  if (file === null) throw new HttpError(404, "File not found");
  // A fixed-length stream makes the runtime send Content-Length instead of chunked encoding.
  const body = file.body.pipeThrough(new FixedLengthStream(file.size));
  return new Response(body, { headers: { "Content-Type": contentTypeFor(path), "Content-Length": String(file.size) } });
}

async function writeFile(request: Request, env: Env, sourceRaw: string | undefined, createOnly: boolean): Promise<Response> {
  const source = await existingSource(env, sourceRaw);
  requireEditable(source);
  const path = requestPath(request);
  if (isGitInternalPath(path)) throw new HttpError(400, "Paths inside .git are reserved");
  const maxBytes = await settingNumber(env, "files.max-size-bytes");
  const body = await readUploadBody(request, maxBytes);
  const result = await writeSourceFile(env, source.id, path, body, { createOnly, maxBytes });
  if (result.ok) return json({ success: true, path, created: result.created }, result.created ? 201 : 200);
  if (result.reason === "exists") throw new HttpError(409, "File already exists", { path });
  if (result.reason === "too-large") throw fileTooLarge(result.size, maxBytes);
  throw new HttpError(400, "Upload body ended early");
}

function parseLimit(raw: string | null): number {
  if (raw === null) return 10;
  if (!/^-?\d+$/.test(raw.trim())) throw new HttpError(400, "Invalid limit parameter");
  const limit = Number(raw.trim());
  if (limit < 1) throw new HttpError(400, "Invalid limit parameter");
  return Math.min(limit, 50);
}

/** `/api/sources/:id/files…` (spec §5.5) and `/api/files/search` (§5.6). */
export function fileRoutes(router: ApiRouter): void {
  router.get("/sources/:id/files", async (request, env: Env) => {
    const source = await existingSource(env, request.params.id);
    const files = (await listSourceFiles(env, source.id)).filter((f) => !isGitInternalPath(f.path));
    return json({ files });
  });

  router.get("/sources/:id/files/:path+", async (request, env: Env) => {
    const source = await existingSource(env, request.params.id);
    const path = requestPath(request);
    return wantsJson(request) ? fileAsJson(env, source, path) : fileAsBytes(env, source, path);
  });

  router.post("/sources/:id/files/:path+", (request, env: Env) => writeFile(request, env, request.params.id, true));
  router.put("/sources/:id/files/:path+", (request, env: Env) => writeFile(request, env, request.params.id, false));

  router.delete("/sources/:id/files/:path+", async (request, env: Env) => {
    const source = await existingSource(env, request.params.id);
    requireEditable(source);
    const path = requestPath(request);
    if (!(await deleteSourceFile(env, source.id, path))) throw new HttpError(404, "File not found");
    return json({ success: true, path, deleted: true });
  });

  router.get("/files/search", async (request, env: Env) => {
    const params = new URL(request.url).searchParams;
    const query = params.get("q");
    if (query === null || query === "") throw new HttpError(400, "Missing required query parameter: q");
    const limit = parseLimit(params.get("limit"));
    const sources = await listSources(env);
    const listings = await Promise.all(sources.map((s) => listSourceFiles(env, s.id)));
    const paths = sources.flatMap((s, i) => (listings[i] ?? []).map((f) => `${s.name}/${f.path}`));
    return json({ matches: fuzzySearch(query, paths, limit) });
  });
}
