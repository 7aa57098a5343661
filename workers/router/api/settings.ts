import { listSettings, updateSettings } from "../../shared/db/settings";
import { HttpError, json } from "../../shared/errors";
import { readJsonObject } from "../../shared/http";
import { settingDefinition } from "../../shared/settings";
import { rescheduleMaintenance } from "../maintenance";
import { rescheduleRotation } from "./encryption-keys";
import type { ApiRouter } from "./router";

/** `/api/settings` (spec §10): every setting takes effect without a restart. */
export function settingsRoutes(router: ApiRouter): void {
  router.get("/settings", async (_request, env: Env) => {
    const all = await listSettings(env);
    return json({ settings: all.filter((s) => s.value !== "") });
  });

  router.put("/settings", async (request, env: Env) => {
    const body = await readJsonObject(request);
    const input = body.settings;
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new HttpError(400, "Missing or invalid 'settings' object");
    }
    const details: { name: string; error: string }[] = [];
    const values: Record<string, string> = {};
    for (const [name, raw] of Object.entries(input)) {
      const definition = settingDefinition(name);
      if (definition === undefined) {
        details.push({ name, error: `Unknown setting name: ${name}` });
        continue;
      }
      const value = typeof raw === "number" ? String(raw) : raw;
      if (typeof value !== "string") {
        details.push({ name, error: "Must be a string" });
        continue;
      }
      const problem = definition.validate(value);
      if (problem !== null) details.push({ name, error: problem });
      else values[name] = value;
    }
    if (details.length > 0) throw new HttpError(400, "Validation failed", { details });
    const updated = await updateSettings(env, values);
    if ("encryption.key-rotation.interval-days" in values) await rescheduleRotation(env);
    if ("log.trimming.interval-seconds" in values || "metrics.aggregation-interval-seconds" in values) await rescheduleMaintenance(env);
    return json({ success: true, updated });
  });
}
