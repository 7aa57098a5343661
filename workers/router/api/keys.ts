import { z } from "zod";
import { deleteKey, findKey, findKeyByName, findKeyByValue, insertKey, listKeys, updateKey } from "../../shared/db/api-keys";
import { findGroup } from "../../shared/db/key-groups";
import { HttpError, isUniqueViolation, json } from "../../shared/errors";
import { readJsonObject } from "../../shared/http";
import { isValidId } from "../../shared/ids";
import { generateKeyValue, KEY_NAME_PATTERN, KEY_VALUE_PATTERN } from "../../shared/key-values";
import { parseInput } from "../../shared/validation";
import type { ApiRouter } from "./router";

const INVALID_NAME = "Invalid key name. Must be lowercase alphanumeric with dashes/underscores.";
const INVALID_VALUE = "Invalid key value. Must be alphanumeric with dashes/underscores.";

const keyName = z.string({ error: INVALID_NAME }).trim().toLowerCase().regex(KEY_NAME_PATTERN, INVALID_NAME);
const keyValue = z.string({ error: INVALID_VALUE }).regex(KEY_VALUE_PATTERN, INVALID_VALUE);
const description = z.string({ error: "description must be a string" }).nullish();

const createKey = z.object({
  groupId: z
    .string({ error: "Missing required field: groupId" })
    .min(1, "Missing required field: groupId")
    .regex(/^[a-zA-Z0-9_-]+$/, "Invalid groupId"),
  name: z
    .string({ error: "Missing required field: name" })
    .trim()
    .toLowerCase()
    .min(1, "Missing required field: name")
    .regex(KEY_NAME_PATTERN, INVALID_NAME),
  value: keyValue.optional(),
  description,
});

const updateKeyInput = z.object({ name: keyName.optional(), value: keyValue.optional(), description });

function keyId(raw: string | undefined): string {
  if (raw === undefined || !isValidId(raw)) throw new HttpError(400, "Invalid key ID");
  return raw;
}

/** `/api/keys` (spec §6.2); a value already present in the group answers 409. */
export function keyRoutes(router: ApiRouter): void {
  router.get("/keys", async (request, env: Env) => {
    const raw = request.query.groupId;
    if (raw === undefined) return json({ keys: await listKeys(env) });
    if (typeof raw !== "string" || !isValidId(raw)) throw new HttpError(400, "Invalid groupId parameter");
    if ((await findGroup(env, raw)) === undefined) throw new HttpError(404, "Group not found");
    return json({ keys: await listKeys(env, raw) });
  });

  router.post("/keys", async (request, env: Env) => {
    const input = parseInput(createKey, await readJsonObject(request));
    const group = await findGroup(env, input.groupId);
    if (group === undefined) throw new HttpError(404, "Group not found");
    const value = input.value ?? generateKeyValue();
    const nameTaken = new HttpError(409, `A key with name '${input.name}' already exists in group '${group.name}'`);
    if ((await findKeyByName(env, group.id, input.name)) !== undefined) throw nameTaken;
    if ((await findKeyByValue(env, group.id, value)) !== undefined) {
      throw new HttpError(409, `A key with this value already exists in group '${group.name}'`);
    }
    try {
      const { id } = await insertKey(env, { groupId: group.id, name: input.name, value, description: input.description || null });
      return json({ id, name: input.name, value }, 201);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken;
      throw error;
    }
  });

  router.get("/keys/:keyId", async (request, env: Env) => {
    const key = await findKey(env, keyId(request.params.keyId));
    if (key === undefined) throw new HttpError(404, "Key not found");
    const group = await findGroup(env, key.groupId);
    const { groupId: _g, groupName: _n, ...bare } = key;
    return json({ key: bare, group });
  });

  router.put("/keys/:keyId", async (request, env: Env) => {
    const id = keyId(request.params.keyId);
    const input = parseInput(updateKeyInput, await readJsonObject(request));
    const key = await findKey(env, id);
    if (key === undefined) throw new HttpError(404, `API key with id ${id} not found`);
    if (input.name !== undefined && input.name !== key.name) {
      if ((await findKeyByName(env, key.groupId, input.name)) !== undefined) {
        throw new HttpError(409, `A key with name '${input.name}' already exists in group '${key.groupName}'`);
      }
    }
    if (input.value !== undefined && input.value !== key.value) {
      if ((await findKeyByValue(env, key.groupId, input.value)) !== undefined) {
        throw new HttpError(409, `A key with this value already exists in group '${key.groupName}'`);
      }
    }
    await updateKey(env, id, {
      name: input.name,
      value: input.value,
      description: input.description === undefined ? undefined : input.description || null,
    });
    return json({ success: true });
  });

  router.delete("/keys/:keyId", async (request, env: Env) => {
    const id = keyId(request.params.keyId);
    if ((await findKey(env, id)) === undefined) throw new HttpError(404, "Key not found");
    await deleteKey(env, id);
    return json({ success: true });
  });
}
