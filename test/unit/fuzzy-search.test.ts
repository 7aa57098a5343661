import { describe, expect, it } from "vitest";
import { fuzzyScore, fuzzySearch, isSearchable } from "../../workers/shared/fuzzy-search";

describe("fuzzyScore", () => {
  it("is null when the query is not a subsequence", () => {
    expect(fuzzyScore("xyz", "src/hello.ts")).toBeNull();
    expect(fuzzyScore("olleh", "hello.ts")).toBeNull();
  });

  it("scores +1 per match, +2 when consecutive, +3 at a segment start, over (|q| + 0.1·|path|)", () => {
    // h at 0: 1 + 3 (segment start); e at 1: consecutive 2 → 6 / (2 + 0.1 × 8)
    expect(fuzzyScore("he", "hello.ts")).toBeCloseTo(6 / 2.8);
    // h at 4 (after "src/"): 1 + 3; o at 8: 1 → 5 / (2 + 0.1 × 12)
    expect(fuzzyScore("ho", "src/hello.ts")).toBeCloseTo(5 / 3.2);
  });

  it("is case-insensitive", () => {
    expect(fuzzyScore("HELLO", "fns/hello.ts")).toBe(fuzzyScore("hello", "fns/hello.ts"));
  });
});

describe("fuzzySearch", () => {
  it("ranks tight, short matches first and respects the limit", () => {
    const paths = ["api/users/list-handler.ts", "api/hello.ts", "very/long/path/to/some/h/e/l/l/o.ts"];
    const matches = fuzzySearch("hello", paths, 2);
    expect(matches.map((m) => m.path)).toEqual(["api/hello.ts", "very/long/path/to/some/h/e/l/l/o.ts"]);
    expect(matches[0]?.score).toBeGreaterThan(matches[1]?.score ?? Infinity);
  });

  it("searches only .ts .js .tsx .jsx files outside .git", () => {
    const paths = ["s/a.ts", "s/a.JS", "s/a.tsx", "s/a.jsx", "s/a.md", "s/.git/a.ts", "s/.hidden/a.ts", "s/a.mts"];
    expect(fuzzySearch("a", paths, 50).map((m) => m.path).sort()).toEqual(["s/.hidden/a.ts", "s/a.JS", "s/a.jsx", "s/a.ts", "s/a.tsx"]);
    expect(isSearchable("x/.git/hooks/a.js")).toBe(false);
  });
});
