import { describe, expect, it } from "vitest";
import { createMemoryFs } from "../../workers/shared/git/memory-fs";

const codeOf = (promise: Promise<unknown>) => promise.then(() => "ok", (error: { code?: string }) => error.code);

describe("the in-memory file system for isomorphic-git", () => {
  it("writes, reads as bytes or text, lists and removes files", async () => {
    const { promises: fs } = createMemoryFs();
    await fs.mkdir("/repo");
    await fs.mkdir("/repo/.git");
    await fs.writeFile("/repo/.git/HEAD", "ref: refs/heads/main\n");
    await fs.writeFile("/repo/a.bin", new Uint8Array([1, 2, 3]));
    expect(await fs.readFile("/repo/.git/HEAD", "utf8")).toBe("ref: refs/heads/main\n");
    expect(await fs.readFile("/repo/a.bin")).toEqual(new Uint8Array([1, 2, 3]));
    expect((await fs.readdir("/repo")).sort()).toEqual([".git", "a.bin"]);
    expect(fs.bytes).toBe(24);
    await fs.unlink("/repo/a.bin");
    expect(fs.bytes).toBe(21);
    expect((await fs.stat("/repo/.git")).isDirectory()).toBe(true);
    expect((await fs.stat("/repo/.git/HEAD")).size).toBe(21);
  });

  it("answers the error codes isomorphic-git relies on", async () => {
    const { promises: fs } = createMemoryFs();
    await fs.mkdir("/d");
    await fs.writeFile("/d/f", "x");
    expect(await codeOf(fs.readFile("/missing"))).toBe("ENOENT");
    expect(await codeOf(fs.writeFile("/no/parent", "x"))).toBe("ENOENT");
    expect(await codeOf(fs.mkdir("/d"))).toBe("EEXIST");
    expect(await codeOf(fs.readdir("/d/f"))).toBe("ENOTDIR");
    expect(await codeOf(fs.readFile("/d/f/g"))).toBe("ENOTDIR");
    expect(await codeOf(fs.rmdir("/d"))).toBe("ENOTEMPTY");
    expect(await codeOf(fs.readFile("/d"))).toBe("EISDIR");
    await fs.unlink("/d/f");
    expect(await codeOf(fs.rmdir("/d"))).toBe("ok");
  });

  it("keeps symlinks as links: lstat sees the link, stat and readlink follow it", async () => {
    const { promises: fs } = createMemoryFs();
    await fs.writeFile("/target", "t");
    await fs.symlink("target", "/link");
    expect((await fs.lstat("/link")).isSymbolicLink()).toBe(true);
    expect((await fs.stat("/link")).isFile()).toBe(true);
    expect(await fs.readlink("/link")).toBe("target");
  });
});
