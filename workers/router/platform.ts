import { ensureBootstrapKey } from "../shared/db/api-keys";
import { ensureManagementGroup, MANAGEMENT_GROUP_ID } from "../shared/db/key-groups";
import { applyMigrations } from "../shared/db/migrate";
import { ensureDefaultSettings } from "../shared/db/settings";
import { ensureMaintenanceScheduled } from "./maintenance";
import { isUniqueViolation } from "../shared/errors";
import { KEY_VALUE_PATTERN } from "../shared/key-values";

let isReady = false;

/**
 * Brings the platform to a servable state once per isolate start: migrations, the built-in
 * group, default settings and the bootstrap key. workerd does not let one request wait on
 * another's I/O, so requests that arrive before the first start-up has finished each run it;
 * every step is idempotent, and a step that lost a race to a concurrent one is retried once.
 */
export async function ensureReady(env: Env): Promise<void> {
  if (isReady) return;
  try {
    await start(env);
  } catch (error) {
    if (isReady) return;
    console.warn("start-up step raced or failed once; retrying:", error instanceof Error ? error.message : error);
    await start(env);
  }
  isReady = true;
}

async function start(env: Env): Promise<void> {
  await applyMigrations(env.DB);
  await ensureManagementGroup(env);
  await ensureDefaultSettings(env);
  await ensureMaintenanceScheduled(env);
  const bootstrap = env.MANAGEMENT_API_KEY ?? "";
  if (bootstrap === "") return;
  if (!KEY_VALUE_PATTERN.test(bootstrap)) {
    console.error("MANAGEMENT_API_KEY ignored: it must be letters, digits, '-' or '_'");
    return;
  }
  try {
    await ensureBootstrapKey(env, bootstrap, MANAGEMENT_GROUP_ID);
  } catch (error) {
    // A concurrent start-up created it first.
    if (!isUniqueViolation(error)) throw error;
  }
}
