import { describe, expect, it } from "vitest";
import { isValidRoutePath, normalizeRoute } from "../../workers/shared/route-patterns";

describe("normalizeRoute", () => {
  it.each([
    ["/", "/"],
    ["/users", "/users"],
    ["/users/:id", "/users/*"],
    ["/users/:name", "/users/*"],
    ["/users/:id?", "/users/*"],
    ["/users/:id{[0-9]+}", "/users/*{[0-9]+}"],
    ["/users/:id{[0-9]+}?", "/users/*{[0-9]+}"],
    ["/files/*", "/files/*"],
    ["/users/me", "/users/me"],
    ["/a/:b/c/:d", "/a/*/c/*"],
    ["/hello/", "/hello/"],
  ])("%s → %s", (route, normalized) => {
    expect(normalizeRoute(route)).toBe(normalized);
  });
});

describe("isValidRoutePath", () => {
  it.each([
    ["/", true],
    ["/hello", true],
    ["/hello/", true],
    ["hello", false],
    ["", false],
    ["/a//b", false],
    ["//", false],
  ])("%s is %s", (route, valid) => {
    expect(isValidRoutePath(route)).toBe(valid);
  });
});
