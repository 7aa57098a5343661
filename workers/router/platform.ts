import { ensureBootstrapKey } from "../shared/db/api-keys";
import { ensureManagementGroup, MANAGEMENT_GROUP_ID } from "../shared/db/key-groups";
import { applyMigrations } from "../shared/db/migrate";
import { ensureDefaultSettings } from "../shared/db/settings";
import { ensureMaintenanceScheduled } from "./maintenance";
import { isUniqueViolation } from "../shared/errors";
import { KEY_VALUE_PATTERN } from "../shared/key-values";

let isReady = false;
/** True while one request runs the start-up; others wait for the flag rather than its I/O. */
let isStarting = false;
const STARTUP_POLL_MS = 10;

/**
 * Brings the platform to a servable state once per isolate start: migrations, the built-in
 * group, default settings, maintenance schedules and the bootstrap key. workerd does not let
 * one request await I/O another request started, so a request arriving during start-up waits
 * by polling the flags, and runs the start-up itself if the first attempt failed. Every step
 * is idempotent, so a run after a crash half-way is harmless.
 */
export async function ensureReady(env: Env): Promise<void> {
  while (!isReady && isStarting) await new Promise((resolve) => setTimeout(resolve, STARTUP_POLL_MS));
  if (isReady) return;
  isStarting = true;
  try {
    await start(env);
    isReady = true;
  } finally {
    isStarting = false;
  }
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
