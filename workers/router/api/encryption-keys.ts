import { HttpError, json } from "../../shared/errors";
import { keyVault } from "../../shared/keyring";
import type { ApiRouter } from "./router";

const DAY_MS = 86_400_000;

/** `/api/encryption-keys/rotation` (spec §8.4). */
export function encryptionKeyRoutes(router: ApiRouter): void {
  router.get("/encryption-keys/rotation", async (_request, env: Env) => {
    const status = await keyVault(env).status();
    return json({
      lastRotationAt: status.lastRotationAt,
      daysSinceRotation: Math.floor((Date.now() - Date.parse(status.lastRotationAt)) / DAY_MS),
      nextRotationAt: status.nextRotationAt,
      rotationIntervalDays: status.rotationIntervalDays,
      currentVersion: status.currentVersion,
      isInProgress: status.isInProgress,
    });
  });

  router.post("/encryption-keys/rotation", async (_request, env: Env) => {
    const outcome = await keyVault(env).rotateNow();
    if (outcome === "busy") throw new HttpError(409, "Key rotation is already in progress");
    return json({ success: true, message: "Key rotation completed successfully" });
  });
}

/** Re-plans the automatic rotation after `encryption.key-rotation.interval-days` changed. */
export async function rescheduleRotation(env: Env): Promise<void> {
  await keyVault(env).reschedule();
}
