import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutTree, type GitTarget, redactToken } from "../../workers/shared/git/checkout";
import { type GitServer, startGitServer } from "./git-server";

/** The files of `target`, as text, checked out in Node through the same code the platform runs. */
async function files(target: GitTarget): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const limits = { maxDownloadBytes: 64 * 1024 * 1024, maxFiles: 10_000, signal: AbortSignal.timeout(20_000) };
  await checkoutTree(fetch, target, limits, async (path, bytes) => {
    out[path] = new TextDecoder().decode(bytes);
  });
  return out;
}

describe("checkoutTree against git http-backend", () => {
  let server: GitServer;
  let secured: GitServer;
  let gitlabLike: GitServer;
  beforeAll(async () => {
    server = await startGitServer();
    secured = await startGitServer({ auth: { username: "s3cret-token", password: "x-oauth-basic" } });
    gitlabLike = await startGitServer({ auth: { username: "oauth2", password: "glpat-token" } });
  });
  afterAll(async () => {
    await server.close();
    await secured.close();
    await gitlabLike.close();
  });

  it("checks out the default branch main, tags, other branches and a commit", async () => {
    const repo = server.createRepo("refs");
    const first = repo.commit({ "a.ts": "one", "lib/b.ts": "b", "link-target": "t" }, "first");
    repo.tag("v1");
    repo.tag("v1-light", true);
    repo.commit({ "a.ts": "two", "lib/b.ts": null }, "second");
    repo.commit({ "a.ts": "dev" }, "on dev", "dev");
    const url = server.url("refs");
    expect(await files({ url })).toEqual({ "a.ts": "two", "link-target": "t" });
    expect(await files({ url, tag: "v1" })).toEqual({ "a.ts": "one", "lib/b.ts": "b", "link-target": "t" });
    expect(await files({ url, tag: "v1-light" })).toEqual({ "a.ts": "one", "lib/b.ts": "b", "link-target": "t" });
    expect(await files({ url, branch: "dev" })).toEqual({ "a.ts": "dev", "link-target": "t" });
    expect(await files({ url, commit: first })).toEqual({ "a.ts": "one", "lib/b.ts": "b", "link-target": "t" });
    expect(await files({ url, commit: first.slice(0, 10) })).toEqual({ "a.ts": "one", "lib/b.ts": "b", "link-target": "t" });
  });

  it("names a missing branch, tag or commit", async () => {
    const repo = server.createRepo("missing");
    repo.commit({ "a.ts": "x" });
    const url = server.url("missing");
    await expect(files({ url, branch: "nope" })).rejects.toThrow("Remote has no branch 'nope'");
    await expect(files({ url, tag: "nope" })).rejects.toThrow("Remote has no tag 'nope'");
    await expect(files({ url, commit: "abcdef1234" })).rejects.toThrow("Commit 'abcdef1234' not found in the repository");
    await expect(files({ url: server.url("no-such-repo") })).rejects.toThrow(/Remote answered 404/);
  });

  it("sends the token as the Basic-auth user name and never shows it in an error", async () => {
    const repo = secured.createRepo("private");
    repo.commit({ "a.ts": "private" });
    const url = secured.url("private");
    expect(await files({ url, authToken: "s3cret-token" })).toEqual({ "a.ts": "private" });
    await expect(files({ url })).rejects.toThrow(/Authentication required/);
    const wrong = files({ url, authToken: "wrong-token" });
    await expect(wrong).rejects.toThrow("Authentication failed: the remote refused the token");
    await wrong.catch((error: Error) => expect(error.message).not.toContain("wrong-token"));
  });

  it("falls back to the token as the password (GitLab's form) when it is refused as the user name", async () => {
    gitlabLike.createRepo("gl").commit({ "g.ts": "gitlab" });
    expect(await files({ url: gitlabLike.url("gl"), authToken: "glpat-token" })).toEqual({ "g.ts": "gitlab" });
    expect(gitlabLike.stats.refused).toBe(2);
  });

  it("reports an unreachable remote", async () => {
    await expect(files({ url: "http://127.0.0.1:1/repo.git" })).rejects.toThrow(/Fetch failed/);
  });

  it("redacts a token in every form", () => {
    const basic = btoa("tok:x-oauth-basic");
    expect(redactToken(`x tok y ${basic} https://u:p@host/r`, "tok")).toBe("x *** y *** https://***@host/r");
  });
});
