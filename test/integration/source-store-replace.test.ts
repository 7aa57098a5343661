import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CHUNK_BYTES, type SourceStore } from "../../durable-objects/source-store";
import { replaceSourceFiles } from "../../workers/shared/source-files";
import { unique } from "./helpers";

const text = (s: string) => new TextEncoder().encode(s);
const read = async (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe("SourceStore whole-tree replacement (git sync)", () => {
  it("shows the old tree until the commit, then only the new one", async () => {
    const id = unique("tree");
    const store = env.SOURCE_STORE.get(env.SOURCE_STORE.idFromName(id));
    await store.write("old.ts", new Blob([text("old")]).stream(), { createOnly: false, maxBytes: 1024 });
    await store.write("same.ts", new Blob([text("before")]).stream(), { createOnly: false, maxBytes: 1024 });
    const tree = await replaceSourceFiles(env, id);
    await tree.add("same.ts", text("after"));
    await tree.add("lib/new.ts", text("new"));
    const big = new Uint8Array(5 * CHUNK_BYTES + 7).fill(9);
    await tree.add("big.bin", big);
    // Nothing switched yet.
    expect((await store.list()).map((f) => f.path)).toEqual(["old.ts", "same.ts"]);
    expect(await read(await store.readBytes("same.ts"))).toBe("before");
    expect(await tree.commit()).toBe(3);
    expect((await store.list()).map((f) => f.path)).toEqual(["big.bin", "lib/new.ts", "same.ts"]);
    expect(await read(await store.readBytes("same.ts"))).toBe("after");
    expect((await store.readBytes("big.bin"))?.every((b) => b === 9)).toBe(true);
    // No chunk is left behind from the old tree.
    const chunks = await runInDurableObject(store, (_instance: SourceStore, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM chunks").one().n,
    );
    expect(chunks).toBe(1 + 1 + 6);
  });

  it("keeps the files it had when a replacement is aborted, and refuses an unknown staging", async () => {
    const id = unique("abort");
    const store = env.SOURCE_STORE.get(env.SOURCE_STORE.idFromName(id));
    await store.write("keep.ts", new Blob([text("keep")]).stream(), { createOnly: false, maxBytes: 1024 });
    const tree = await replaceSourceFiles(env, id);
    await tree.add("x.ts", text("x"));
    await tree.abort();
    expect((await store.list()).map((f) => f.path)).toEqual(["keep.ts"]);
    expect(await store.stageFiles(123456, [{ path: "y.ts", bytes: text("y") }])).toBe(false);
    expect(await store.commitReplace(123456)).toBeNull();
    const leftovers = await runInDurableObject(store, (_instance: SourceStore, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM staged").one().n,
    );
    expect(leftovers).toBe(0);
  });

  it("lets a reader that opened a file before the switch finish reading the old bytes", async () => {
    const id = unique("reader");
    const store = env.SOURCE_STORE.get(env.SOURCE_STORE.idFromName(id));
    const old = new Uint8Array(3 * CHUNK_BYTES).fill(1);
    await store.write("f.bin", new Blob([old]).stream(), { createOnly: false, maxBytes: 8 * CHUNK_BYTES });
    const open = await store.read("f.bin");
    const tree = await replaceSourceFiles(env, id);
    await tree.add("f.bin", new Uint8Array(10).fill(2));
    await tree.commit();
    const bytes = new Uint8Array(await new Response(open?.body).arrayBuffer());
    expect(bytes.length).toBe(old.length);
    expect(bytes.every((b) => b === 1)).toBe(true);
    expect((await store.readBytes("f.bin"))?.length).toBe(10);
  });
});
