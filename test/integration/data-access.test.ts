import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import makeD1 from "../../workers/d1-adapter";
import type { SqlDatabase } from "../../durable-objects/sql-database";
import { findKey, insertKey, listKeys, matchKey, updateKey } from "../../workers/shared/db/api-keys";
import { ensureManagementGroup, findGroup, insertGroup, listGroups, MANAGEMENT_GROUP_ID } from "../../workers/shared/db/key-groups";
import { applyMigrations } from "../../workers/shared/db/migrate";
import { ensureDefaultSettings, settingValue } from "../../workers/shared/db/settings";
import { isUniqueViolation } from "../../workers/shared/errors";

// One contract, two implementations of the `DB` binding: Miniflare's D1, and our D1 adapter
// over the SqlDatabase Durable Object (what plain workerd serves).
const testEnv = env as Env & { SQL_DATABASE: DurableObjectNamespace<SqlDatabase> };
const adapter = makeD1({ database: testEnv.SQL_DATABASE }) as unknown as D1Database;

const implementations: [string, Env][] = [
  ["D1 (Miniflare)", testEnv],
  ["D1 adapter over SqlDatabase", { ...testEnv, DB: adapter }],
];

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

describe.each(implementations)("data access on %s", (_name, e) => {
  it("applies migrations once and is idempotent after", async () => {
    await applyMigrations(e.DB);
    expect(await applyMigrations(e.DB)).toEqual([]);
    const { results } = await e.DB.prepare("SELECT tag FROM _migrations").all<{ tag: string }>();
    expect(results.map((r) => r.tag)).toContain("0000_init");
  });

  it("creates the management group once and lists groups by name", async () => {
    await applyMigrations(e.DB);
    await ensureManagementGroup(e);
    await ensureManagementGroup(e);
    const name = unique("g");
    await insertGroup(e, name, "desc");
    const groups = await listGroups(e);
    expect(groups.filter((g) => g.id === MANAGEMENT_GROUP_ID)).toHaveLength(1);
    expect(groups.map((g) => g.name)).toEqual([...groups.map((g) => g.name)].sort());
    expect(groups.find((g) => g.name === name)?.description).toBe("desc");
  });

  it("reports a duplicate group name as a UNIQUE violation", async () => {
    await applyMigrations(e.DB);
    const name = unique("dup");
    await insertGroup(e, name, null);
    const error = await insertGroup(e, name, null).then(() => null, (err: unknown) => err);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("stores key values encrypted, returns them decrypted and matches them by hash", async () => {
    await applyMigrations(e.DB);
    const group = await insertGroup(e, unique("k"), null);
    const { id } = await insertKey(e, { groupId: group.id, name: "svc", value: "plain-value-1", description: null });
    const stored = await e.DB.prepare("SELECT value_encrypted, value_hash FROM api_keys WHERE id = ?").bind(id).first<{
      value_encrypted: string;
      value_hash: string;
    }>();
    expect(stored?.value_encrypted).not.toContain("plain-value-1");
    expect(stored?.value_hash).toHaveLength(44);
    expect((await findKey(e, id))?.value).toBe("plain-value-1");
    expect((await listKeys(e, group.id)).map((k) => k.name)).toEqual(["svc"]);
    expect(await matchKey(e, "plain-value-1", ["nope", group.id])).toMatchObject({ keyId: id, groupName: group.name });
    expect(await matchKey(e, "plain-value-1", [MANAGEMENT_GROUP_ID])).toBeUndefined();
    await updateKey(e, id, { value: "plain-value-2" });
    expect(await matchKey(e, "plain-value-1", [group.id])).toBeUndefined();
    expect(await matchKey(e, "plain-value-2", [group.id])).toMatchObject({ keyId: id });
  });

  it("inserts setting defaults without overwriting", async () => {
    await applyMigrations(e.DB);
    await ensureDefaultSettings(e);
    await e.DB.prepare("UPDATE settings SET value = ? WHERE name = ?").bind("4096", "files.max-size-bytes").run();
    await ensureDefaultSettings(e);
    const row = await e.DB.prepare("SELECT value FROM settings WHERE name = ?").bind("files.max-size-bytes").first<string>("value");
    expect(row).toBe("4096");
    expect(await settingValue(e, "server.name")).toBe("Crude Functions");
  });

  it("runs a batch as one transaction", async () => {
    await applyMigrations(e.DB);
    const id = unique("tx");
    const insert = e.DB.prepare("INSERT INTO api_key_groups (id, name, created_at, updated_at) VALUES (?, ?, 'x', 'x')");
    await expect(e.DB.batch([insert.bind(id, id), insert.bind(id, id)])).rejects.toThrow();
    expect(await findGroup(e, id)).toBeUndefined();
  });

  it("round-trips nulls, numbers, text and blobs through raw and first", async () => {
    await e.DB.exec("CREATE TABLE IF NOT EXISTS contract_values (n INTEGER, r REAL, t TEXT, b BLOB)");
    const blob = new Uint8Array([0, 1, 2, 255]);
    await e.DB.prepare("DELETE FROM contract_values").run();
    const inserted = await e.DB.prepare("INSERT INTO contract_values VALUES (?, ?, ?, ?)").bind(42, 1.5, null, blob).run();
    expect(inserted.meta.changes).toBe(1);
    const [columns, row] = await e.DB.prepare("SELECT n, r, t, b FROM contract_values").raw({ columnNames: true });
    expect(columns).toEqual(["n", "r", "t", "b"]);
    expect(row?.slice(0, 3)).toEqual([42, 1.5, null]);
    expect([...new Uint8Array(row?.[3] as ArrayBuffer)]).toEqual([0, 1, 2, 255]);
    expect(await e.DB.prepare("SELECT n FROM contract_values").first("n")).toBe(42);
    expect(await e.DB.prepare("SELECT n FROM contract_values WHERE n = 0").first()).toBeNull();
  });
});
