import { describe, expect, it } from "vitest";
import { HttpError } from "../../workers/shared/errors";
import { filePathFromUrl, isGitInternalPath, normalizeFilePath, tryNormalizeFilePath } from "../../workers/shared/file-paths";

function errorOf(fn: () => unknown): { status: number; message: string } | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, message: error.message };
    throw error;
  }
  return undefined;
}

describe("normalizeFilePath", () => {
  it.each([
    ["lib/formatters.ts", "lib/formatters.ts"],
    ["  lib/a.ts  ", "lib/a.ts"],
    ["lib//deep///a.ts", "lib/deep/a.ts"],
    ["lib/a/", "lib/a"],
    ["./lib/./a.ts", "lib/a.ts"],
    ["lib/x/../a.ts", "lib/a.ts"],
    [".gitignore", ".gitignore"],
    ["a b/c%d.ts", "a b/c%d.ts"],
  ])("normalises %j to %j", (raw, expected) => expect(normalizeFilePath(raw)).toBe(expected));

  it.each(["..", "../a.ts", "lib/../../a.ts", "a/b/../../../c", " /etc/passwd"])("refuses %j: Path escapes base directory", (raw) => {
    expect(errorOf(() => normalizeFilePath(raw))).toEqual({ status: 400, message: "Path escapes base directory" });
  });

  it.each([
    ["", "Path cannot be empty"],
    ["   ", "Path cannot be empty"],
    ["/etc/passwd", "Path must be relative"],
    ["a\0b", "Path contains a NUL byte"],
    [".", "Path must name a file"],
    ["lib/..", "Path must name a file"],
    ["x".repeat(4097), "Path exceeds 4096 characters"],
  ])("refuses %j with 400 %j", (raw, message) => {
    expect(errorOf(() => normalizeFilePath(raw))).toEqual({ status: 400, message });
  });

  it("tryNormalizeFilePath answers null instead of throwing", () => {
    expect(tryNormalizeFilePath("../x")).toBeNull();
    expect(tryNormalizeFilePath("./x")).toBe("x");
  });
});

describe("filePathFromUrl", () => {
  const at = (pathname: string) => filePathFromUrl(pathname, 4);

  it("takes the rest of the path after the given segments, decoded once", () => {
    expect(at("/api/sources/abc/files/lib/formatters.ts")).toBe("lib/formatters.ts");
    expect(at("/api/sources/abc/files/lib%2Fformatters.ts")).toBe("lib/formatters.ts");
    expect(at("/api/sources/abc/files/100%25.txt")).toBe("100%.txt");
    expect(at("/api/sources/abc/files/..%2F..%2Fx")).toBe("../../x");
  });

  it("answers 400 Invalid URL encoding in path for a broken escape", () => {
    expect(errorOf(() => at("/api/sources/abc/files/100%.txt"))).toEqual({ status: 400, message: "Invalid URL encoding in path" });
  });
});

describe("isGitInternalPath", () => {
  it.each([".git/config", "sub/.git/HEAD", ".git"])("is true for %j", (p) => expect(isGitInternalPath(p)).toBe(true));
  it.each([".gitignore", "a.git/x", "git/x", ".github/workflows/ci.yml"])("is false for %j", (p) => expect(isGitInternalPath(p)).toBe(false));
});
