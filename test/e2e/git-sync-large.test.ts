import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitServer, startGitServer } from "./git-server";
import { removeDataDir, type RunningServer, startServer } from "./server";

const FILES = 2000;
const TOTAL_BYTES = 20 * 1024 * 1024;

/** Kilobytes from /proc/<pid>/status (VmHWM = peak resident memory, VmRSS = now). */
function memoryKb(pid: number, field: "VmHWM" | "VmRSS"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

/** The workerd process under the supervisor (its child, found through /proc). */
function workerdPid(supervisor: number): number {
  const pending = [supervisor];
  for (let pid = pending.shift(); pid !== undefined; pid = pending.shift()) {
    if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "workerd") return pid;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    if (children !== "") pending.push(...children.split(/\s+/).map(Number));
  }
  throw new Error("no workerd process found");
}

describe("a large git repository", () => {
  let server: RunningServer;
  let git: GitServer;
  beforeAll(async () => {
    [server, git] = await Promise.all([startServer({ env: { ALLOW_INSECURE_GIT_HTTP: "true" } }), startGitServer()]);
  });
  afterAll(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
    await git.close();
  });

  it(`syncs ${FILES} files and 20 MB within one isolate's memory`, async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < FILES; i++) files[`dir${i % 40}/file${i}.bin`] = randomBytes(TOTAL_BYTES / FILES);
    git.createRepo("large").commit(files, "2,000 files");

    const created = await server.api("/api/sources", {
      method: "POST",
      body: JSON.stringify({ name: "large", type: "git", typeSettings: { url: git.url("large") } }),
    });
    const { id } = (await created.json()) as { id: string };
    const pid = workerdPid(server.pid);
    const before = { hwm: memoryKb(pid, "VmHWM"), rss: memoryKb(pid, "VmRSS") };
    const started = Date.now();
    expect((await server.api(`/api/sources/${id}/sync`, { method: "POST" })).status).toBe(200);
    let status: { isSyncing: boolean; lastSyncAt: string | null; lastSyncError: string | null };
    do {
      await new Promise((r) => setTimeout(r, 100));
      status = (await (await server.api(`/api/sources/${id}/status`)).json()) as typeof status;
    } while (status.isSyncing || (status.lastSyncAt === null && status.lastSyncError === null));
    const elapsed = Date.now() - started;
    expect(status.lastSyncError).toBeNull();
    const after = { hwm: memoryKb(pid, "VmHWM"), rss: memoryKb(pid, "VmRSS") };
    console.log(
      `large sync: ${FILES} files, ${TOTAL_BYTES / 1024 / 1024} MB in ${elapsed} ms; workerd VmHWM ${Math.round(before.hwm / 1024)} → ${Math.round(after.hwm / 1024)} MB` +
        ` (VmRSS ${Math.round(before.rss / 1024)} → ${Math.round(after.rss / 1024)} MB)`,
    );

    const listing = (await (await server.api(`/api/sources/${id}/files`)).json()) as { files: { path: string; size: number }[] };
    expect(listing.files).toHaveLength(FILES);
    expect(listing.files.reduce((sum, f) => sum + f.size, 0)).toBe(TOTAL_BYTES - (TOTAL_BYTES % FILES));
    const sample = await server.api(`/api/sources/${id}/files/dir7/file7.bin`);
    expect(Buffer.from(await sample.arrayBuffer()).equals(Buffer.from(files["dir7/file7.bin"] ?? []))).toBe(true);
    expect(elapsed).toBeLessThan(60_000);
  });
});
