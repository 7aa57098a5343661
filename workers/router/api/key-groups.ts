import { z } from "zod";
import {
  countKeysInGroup,
  deleteGroup,
  findGroup,
  findGroupByName,
  insertGroup,
  listGroups,
  MANAGEMENT_GROUP_ID,
  updateGroupDescription,
} from "../../shared/db/key-groups";
import { HttpError, isUniqueViolation, json } from "../../shared/errors";
import { readJsonObject } from "../../shared/http";
import { isValidId } from "../../shared/ids";
import { GROUP_NAME_PATTERN } from "../../shared/key-values";
import { parseInput } from "../../shared/validation";
import type { ApiRouter } from "./router";

const createGroup = z.object({
  name: z
    .string({ error: "Missing required field: name" })
    .trim()
    .toLowerCase()
    .min(1, "Missing required field: name")
    .regex(GROUP_NAME_PATTERN, "Invalid group name. Must be lowercase alphanumeric with dashes/underscores."),
  description: z.string({ error: "description must be a string" }).nullish(),
});

const updateGroup = z.object({ description: z.string({ error: "description must be a string" }).nullish() });

function groupId(raw: string | undefined): string {
  if (raw === undefined || !isValidId(raw)) throw new HttpError(400, "Invalid group ID");
  return raw;
}

async function existingGroup(env: Env, id: string) {
  const group = await findGroup(env, id);
  if (group === undefined) throw new HttpError(404, "Group not found");
  return group;
}

/** `/api/key-groups` (spec §6.2). */
export function keyGroupRoutes(router: ApiRouter): void {
  router.get("/key-groups", async (_request, env: Env) => json({ groups: await listGroups(env) }));

  router.post("/key-groups", async (request, env: Env) => {
    const input = parseInput(createGroup, await readJsonObject(request));
    if ((await findGroupByName(env, input.name)) !== undefined) {
      throw new HttpError(409, `Group '${input.name}' already exists`);
    }
    try {
      const group = await insertGroup(env, input.name, input.description || null);
      return json({ id: group.id, name: group.name }, 201);
    } catch (error) {
      if (isUniqueViolation(error)) throw new HttpError(409, `Group '${input.name}' already exists`);
      throw error;
    }
  });

  router.get("/key-groups/:groupId", async (request, env: Env) => json(await existingGroup(env, groupId(request.params.groupId))));

  router.put("/key-groups/:groupId", async (request, env: Env) => {
    const id = groupId(request.params.groupId);
    const input = parseInput(updateGroup, await readJsonObject(request));
    await existingGroup(env, id);
    await updateGroupDescription(env, id, input.description ?? "");
    return json({ success: true });
  });

  router.delete("/key-groups/:groupId", async (request, env: Env) => {
    const id = groupId(request.params.groupId);
    await existingGroup(env, id);
    if (id === MANAGEMENT_GROUP_ID) throw new HttpError(403, "Cannot delete management group");
    const keys = await countKeysInGroup(env, id);
    if (keys > 0) throw new HttpError(409, `Cannot delete group with ${keys} existing key(s). Delete keys first.`);
    await deleteGroup(env, id);
    return json({ success: true });
  });
}
