import { eq } from "drizzle-orm";
import { z } from "zod";
import { apiKeyGroups, apiKeys, functions } from "../../../schema";
import { database } from "../../shared/db/client";
import {
  deleteSecret,
  findSecret,
  findSecretInScope,
  insertSecret,
  listSecrets,
  SCOPE_TYPES,
  type ScopeType,
  type SecretFilter,
  updateSecret,
} from "../../shared/db/secrets";
import { HttpError, isUniqueViolation, json } from "../../shared/errors";
import { decodeSegment, readJsonObject } from "../../shared/http";
import { isValidId } from "../../shared/ids";
import { MAX_PLAINTEXT_BYTES } from "../../shared/crypto";
import { parseInput } from "../../shared/validation";
import type { ApiRouter } from "./router";

const NAME = /^[a-zA-Z0-9_-]+$/;
const TOO_LARGE = `Secret value exceeds the maximum size of ${MAX_PLAINTEXT_BYTES} bytes`;
const value = z
  .string({ error: "Missing required field: value" })
  .refine((v) => v.trim() !== "", "Secret value cannot be empty")
  .refine((v) => new TextEncoder().encode(v).byteLength <= MAX_PLAINTEXT_BYTES, TOO_LARGE);
const comment = z.string({ error: "comment must be a string" }).nullish();
const scopeType = z.enum(["global", "function", "group", "key"], {
  error: (issue) =>
    issue.input === undefined
      ? "Missing required field: scopeType"
      : `Invalid scopeType '${String(issue.input)}'. Must be one of: ${SCOPE_TYPES.join(", ")}`,
});
const ref = z.string().regex(/^[a-zA-Z0-9_-]+$/).optional();

const createSecret = z.object({
  name: z.string({ error: "Missing required field: name" }).min(1, "Missing required field: name").regex(NAME, "Invalid secret name. Must match pattern [a-zA-Z0-9_-]+"),
  value,
  scopeType,
  comment,
  functionId: ref,
  groupId: ref,
  keyId: ref,
});
const updateSecretInput = z.object({ value: value.optional(), comment });

const OWNER: Record<Exclude<ScopeType, "global">, { field: "functionId" | "groupId" | "keyId"; label: string }> = {
  function: { field: "functionId", label: "Function" },
  group: { field: "groupId", label: "Group" },
  key: { field: "keyId", label: "API key" },
};

/** Whether the function, group or key a scoped secret points at exists. */
async function ownerExists(env: Env, type: Exclude<ScopeType, "global">, id: string): Promise<boolean> {
  const db = database(env);
  const table = type === "function" ? functions : type === "group" ? apiKeyGroups : apiKeys;
  return (await db.select({ id: table.id }).from(table).where(eq(table.id, id)).get()) !== undefined;
}

function scopeFilter(raw: unknown): ScopeType | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !(SCOPE_TYPES as readonly string[]).includes(raw)) {
    throw new HttpError(400, `Invalid scope '${String(raw)}'. Must be one of: ${SCOPE_TYPES.join(", ")}`);
  }
  return raw as ScopeType;
}

/** `/api/secrets` (spec §7.2); `scope` is accepted as an alias of `scopeType` on create. */
export function secretRoutes(router: ApiRouter): void {
  router.get("/secrets", async (request, env: Env) => {
    const filter: SecretFilter = { scopeType: scopeFilter(request.query.scope) };
    // Only one id filter applies, in this order of precedence (as in the original).
    for (const type of ["function", "group", "key"] as const) {
      const raw = request.query[OWNER[type].field];
      if (raw === undefined) continue;
      if (typeof raw !== "string" || !isValidId(raw)) throw new HttpError(400, `Invalid ${OWNER[type].field}`);
      filter.scopeRef ??= { type, id: raw };
    }
    return json({ secrets: await listSecrets(env, filter, request.query.includeValues === "true") });
  });

  router.get("/secrets/by-name/:name", async (request, env: Env) => {
    const name = decodeSegment(request.params.name ?? "", "Invalid secret name");
    const found = await listSecrets(env, { name, scopeType: scopeFilter(request.query.scope) }, true);
    if (found.length === 0) throw new HttpError(404, `No secrets found with name '${name}'`);
    return json({ name, secrets: found });
  });

  router.get("/secrets/:id", async (request, env: Env) => {
    const secret = await findSecret(env, request.params.id ?? "");
    if (secret === undefined) throw new HttpError(404, "Secret not found");
    return json(secret);
  });

  router.post("/secrets", async (request, env: Env) => {
    const body = await readJsonObject(request);
    const input = parseInput(createSecret, { ...body, scopeType: body.scopeType ?? body.scope });
    const type: ScopeType = input.scopeType;
    let scopeRef = "";
    if (type !== "global") {
      const { field, label } = OWNER[type];
      const id = input[field];
      if (id === undefined) throw new HttpError(400, `${field} is required for ${type}-scoped secrets`);
      if (!(await ownerExists(env, type, id))) throw new HttpError(404, `${label} with id '${id}' not found`);
      scopeRef = id;
    }
    const conflict = new HttpError(
      409,
      type === "global" ? `A global secret with name '${input.name}' already exists` : `A secret with name '${input.name}' already exists for this ${type}`,
    );
    if (await findSecretInScope(env, input.name, type, scopeRef)) throw conflict;
    try {
      const { id } = await insertSecret(env, { name: input.name, value: input.value, comment: input.comment ?? null, scopeType: type, scopeRef });
      return json({ id, name: input.name, scopeType: type }, 201);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict;
      throw error;
    }
  });

  router.put("/secrets/:id", async (request, env: Env) => {
    const id = request.params.id ?? "";
    const input = parseInput(updateSecretInput, await readJsonObject(request));
    if (input.value === undefined && input.comment === undefined) {
      throw new HttpError(400, "At least one field (value or comment) must be provided");
    }
    if ((await findSecret(env, id)) === undefined) throw new HttpError(404, `Secret with ID ${id} not found`);
    await updateSecret(env, id, { value: input.value, comment: input.comment === undefined ? undefined : input.comment || null });
    return json({ success: true });
  });

  router.delete("/secrets/:id", async (request, env: Env) => {
    const id = request.params.id ?? "";
    if ((await findSecret(env, id)) === undefined) throw new HttpError(404, `Secret with ID ${id} not found`);
    await deleteSecret(env, id);
    return json({ success: true });
  });
}
