import { describe, expect, it } from "vitest";
import { extractApiKey, keyFromAuthorization } from "../../workers/router/run/key-extraction";

describe("keyFromAuthorization", () => {
  it.each([
    ["Bearer abc", "abc"],
    ["Bearer", undefined],
    ["plainkey", "plainkey"],
    ["bearer", undefined],
    ["Negotiate", undefined],
    [`Basic ${btoa(":secret")}`, "secret"],
    [`Basic ${btoa("user:secret")}`, undefined],
    [`Basic ${btoa(":")}`, undefined],
    ["Basic !!!notbase64", undefined],
    ["Digest abc", undefined],
    ["Token abc", "abc"],
    ["Custom a b", "a b"],
  ])("%s → %s", (header, key) => {
    expect(keyFromAuthorization(header)).toBe(key);
  });
});

describe("extractApiKey", () => {
  const url = (query = "") => new URL(`http://x/run/a${query}`);

  it("tries the locations in the spec's order; the first value wins", () => {
    const all = new Headers({ Authorization: "Bearer auth", "X-API-Key": "xapi", "X-Auth-Token": "xauth", "Api-Key": "api", "X-Access-Token": "access" });
    expect(extractApiKey(all, url("?api_key=q1&apiKey=q2"))).toBe("auth");
    all.delete("Authorization");
    expect(extractApiKey(all, url())).toBe("xapi");
    all.delete("X-API-Key");
    expect(extractApiKey(all, url())).toBe("xauth");
    all.delete("X-Auth-Token");
    expect(extractApiKey(all, url())).toBe("api");
    all.delete("Api-Key");
    expect(extractApiKey(all, url())).toBe("access");
    expect(extractApiKey(new Headers(), url("?api_key=q1&apiKey=q2"))).toBe("q1");
    expect(extractApiKey(new Headers(), url("?apiKey=q2"))).toBe("q2");
    expect(extractApiKey(new Headers(), url())).toBeUndefined();
  });

  it("falls through an Authorization header that yields nothing", () => {
    expect(extractApiKey(new Headers({ Authorization: `Basic ${btoa("u:p")}`, "X-API-Key": "k" }), url())).toBe("k");
  });
});
