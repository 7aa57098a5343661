import { toErrorResponse } from "../../shared/errors";
import { discardUnreadBody } from "../../shared/http";
import { requireApiKey } from "../middleware/auth";
import { functionRoutes } from "./functions";
import { encryptionKeyRoutes } from "./encryption-keys";
import { keyGroupRoutes } from "./key-groups";
import { keyRoutes } from "./keys";
import { fileRoutes } from "./files";
import { sourceRoutes } from "./sources";
import { secretRoutes } from "./secrets";
import { settingsRoutes } from "./settings";
import { logRoutes } from "./logs";
import { metricRoutes } from "./metrics";
import { createApiRouter } from "./router";
import { webhookRoutes } from "./webhooks";

const router = createApiRouter();
// Public: a webhook proves itself with the source's own secret (spec §5.4).
webhookRoutes(router);
router.all("*", (request, env: Env) => requireApiKey(request, env));
keyGroupRoutes(router);
keyRoutes(router);
functionRoutes(router);
sourceRoutes(router);
fileRoutes(router);
secretRoutes(router);
encryptionKeyRoutes(router);
settingsRoutes(router);
logRoutes(router);
metricRoutes(router);
router.all("*", () => new Response("404 Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=UTF-8" } }));

/** Serves `/api/*`; every error, expected or not, is turned into its response here. */
export async function handleApi(request: Request, env: Env, ctx: ExecutionContext, requestId: string): Promise<Response> {
  try {
    return (await router.fetch(request, env, ctx)) as Response;
  } catch (error) {
    await discardUnreadBody(request);
    return toErrorResponse(error, requestId);
  }
}
