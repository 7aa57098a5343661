import { ensureBootstrapKey } from "../shared/db/api-keys";
import { ensureManagementGroup, MANAGEMENT_GROUP_ID } from "../shared/db/key-groups";
import { applyMigrations } from "../shared/db/migrate";
import { ensureDefaultSettings } from "../shared/db/settings";
import { KEY_VALUE_PATTERN } from "../shared/key-values";

let ready: Promise<void> | undefined;

/**
 * Brings the platform to a servable state once per isolate start: migrations, the built-in
 * group, default settings and the bootstrap key. Every request awaits it; a failure is retried
 * by the next request rather than remembered.
 */
export function ensureReady(env: Env): Promise<void> {
  if (ready === undefined) {
    const starting = start(env);
    ready = starting;
    starting.catch(() => {
      if (ready === starting) ready = undefined;
    });
  }
  return ready;
}

async function start(env: Env): Promise<void> {
  await applyMigrations(env.DB);
  await ensureManagementGroup(env);
  await ensureDefaultSettings(env);
  const bootstrap = env.MANAGEMENT_API_KEY ?? "";
  if (bootstrap !== "") {
    if (KEY_VALUE_PATTERN.test(bootstrap)) await ensureBootstrapKey(env, bootstrap, MANAGEMENT_GROUP_ID);
    else console.error("MANAGEMENT_API_KEY ignored: it must be letters, digits, '-' or '_'");
  }
}
