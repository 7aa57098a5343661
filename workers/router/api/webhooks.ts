import { decryptValue } from "../../shared/keyring";
import { HttpError, json } from "../../shared/errors";
import { triggerSync } from "../../shared/source-sync";
import { isWebhookAuthorized } from "../../shared/webhook-auth";
import type { ApiRouter } from "./router";
import { decodedParam, existingSource, notSyncable } from "./sources";
import { concatBytes } from "../../shared/bytes";

/** Larger push payloads than GitHub's own 25 MB cap are refused before they are read. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;
const SKIPPED = { message: "Sync skipped (source disabled or already in progress)" };

/** The raw body, read at most once and never past MAX_BODY_BYTES (413 then), declared or streamed. */
function bodyReader(request: Request): () => Promise<Uint8Array<ArrayBuffer>> {
  let body: Promise<Uint8Array<ArrayBuffer>> | undefined;
  const tooLarge = () => new HttpError(413, `Webhook payload exceeds ${MAX_BODY_BYTES} bytes`);
  return () => {
    body ??= (async () => {
      if (Number(request.headers.get("Content-Length") ?? "0") > MAX_BODY_BYTES) throw tooLarge();
      const parts: Uint8Array[] = [];
      let size = 0;
      const reader = request.body?.getReader();
      for (let next = await reader?.read(); next !== undefined && !next.done; next = await reader?.read()) {
        size += next.value.byteLength;
        if (size > MAX_BODY_BYTES) {
          await reader?.cancel();
          throw tooLarge();
        }
        parts.push(next.value);
      }
      return concatBytes(parts, size);
    })();
    return body;
  };
}

/**
 * `POST /api/sources/:id/webhook` (spec §5.4), public: registered before the API-key check.
 * Checks in the original's order — 404, 403 (webhooks off), 401 (secret), then 200 skipped or
 * triggered — and answers a manual source with 400 instead of the original's 500.
 */
export function webhookRoutes(router: ApiRouter): void {
  router.post("/sources/:id/webhook", async (request, env: Env) => {
    const id = decodedParam(request.params.id);
    const source = await existingSource(env, request.params.id, `Code source '${id}' not found`);
    if (source.syncSettings.webhookEnabled !== true) throw new HttpError(403, "Webhooks disabled for this source");
    const sealed = source.syncSettings.webhookSecret;
    if (sealed !== undefined) {
      const secret = await decryptValue(env, sealed);
      const call = { headers: request.headers, query: new URL(request.url).searchParams, body: bodyReader(request) };
      if (!(await isWebhookAuthorized(secret, call))) throw new HttpError(401, "Invalid webhook secret");
    }
    if (source.type !== "git") throw notSyncable(source);
    if (!source.enabled) return json(SKIPPED);
    const result = await triggerSync(env, source.id, "webhook");
    return result.ok ? json({ message: "Sync triggered", jobId: result.jobId }) : json(SKIPPED);
  });
}
