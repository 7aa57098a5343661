import { describe, expect, it } from "vitest";
import { contentTypeFor, isTextContentType } from "../../workers/shared/content-types";

describe("contentTypeFor", () => {
  it.each([
    ["handler.ts", "text/typescript"],
    ["a/b/c.TSX", "text/typescript"],
    ["x.mts", "text/typescript"],
    ["x.cjs", "text/javascript"],
    ["x.jsx", "text/javascript"],
    ["deno.jsonc", "application/json"],
    [".prettierrc", "application/json"],
    [".eslintrc", "application/json"],
    ["README.md", "text/markdown"],
    ["index.htm", "text/html"],
    ["s.css", "text/css"],
    ["feed.xml", "application/xml"],
    ["c.yml", "text/yaml"],
    [".gitignore", "text/plain"],
    ["prod.env", "text/plain"],
    ["Cargo.toml", "text/plain"],
    ["q.sql", "text/plain"],
    ["d.csv", "text/csv"],
    ["run.sh", "text/x-shellscript"],
    ["m.py", "text/x-py"],
    ["m.cpp", "text/x-cpp"],
    ["App.vue", "text/x-vue"],
    ["App.svelte", "text/x-svelte"],
    ["logo.svg", "image/svg+xml"],
    ["photo.JPG", "image/jpeg"],
    ["doc.pdf", "application/pdf"],
    ["m.wasm", "application/wasm"],
    ["model.safetensors", "application/octet-stream"],
    ["font.woff2", "font/woff2"],
    ["Makefile", "application/octet-stream"],
    ["archive.unknown", "application/octet-stream"],
  ])("%s is %s", (path, type) => expect(contentTypeFor(path)).toBe(type));
});

describe("isTextContentType", () => {
  it.each(["text/plain", "text/typescript", "application/json", "application/xml", "application/javascript", "application/ld+json", "image/svg+xml", "application/json; charset=utf-8"])(
    "%s is text",
    (type) => expect(isTextContentType(type)).toBe(true),
  );
  it.each(["image/png", "application/octet-stream", "application/wasm", "application/pdf"])("%s is binary", (type) =>
    expect(isTextContentType(type)).toBe(false),
  );
});
