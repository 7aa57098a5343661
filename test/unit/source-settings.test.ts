import { describe, expect, it } from "vitest";
import { HttpError } from "../../workers/shared/errors";
import {
  gitUrlProblem,
  hasGitTargetChanged,
  isInsecureGitHttpAllowed,
  parseSyncSettings,
  parseTypeSettings,
  REDACTED,
  redactSyncSettings,
  redactTypeSettings,
  SOURCE_NAME_PATTERN,
} from "../../workers/shared/source-settings";

function messageOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) return error.message;
    throw error;
  }
  return undefined;
}

const HINT = "(e.g. https://github.com/org/repo.git)";

describe("gitUrlProblem", () => {
  it.each([
    ["git@github.com:org/repo.git", `SSH URLs are not supported. Use an HTTPS URL instead ${HINT}`],
    ["ssh://git@github.com/org/repo.git", `SSH URLs are not supported. Use an HTTPS URL instead ${HINT}`],
    ["git://github.com/org/repo.git", `The git:// protocol is not supported. Use an HTTPS URL instead ${HINT}`],
    ["http://example.com/repo.git", `Git URL must use HTTPS ${HINT}`],
    ["ftp://example.com/repo.git", `Git URL must use HTTPS ${HINT}`],
    ["github.com/org/repo", `Git URL must use HTTPS ${HINT}`],
    ["https://", "Invalid Git URL"],
    ["https://token@github.com/org/repo.git", "Git URL must not contain credentials; put the token in typeSettings.authToken"],
  ])("refuses %s", (url, message) => expect(gitUrlProblem(url, false)).toBe(message));

  it("accepts https URLs", () => expect(gitUrlProblem("https://github.com/org/repo.git", false)).toBeNull());

  it("accepts http:// only when ALLOW_INSECURE_GIT_HTTP is on, and says so otherwise", () => {
    expect(gitUrlProblem("http://127.0.0.1:8030/repo.git", true)).toBeNull();
    expect(gitUrlProblem("ftp://example.com/r.git", true)).toBe(`Git URL must use HTTPS or HTTP ${HINT}`);
    expect(gitUrlProblem("git@github.com:o/r.git", true)).toMatch(/^SSH URLs are not supported/);
  });
});

describe("isInsecureGitHttpAllowed", () => {
  it.each([["true", true], ["TRUE", true], ["", false], [null, false], [undefined, false], ["1", false], ["false", false]] as const)(
    "%j → %j",
    (value, expected) => expect(isInsecureGitHttpAllowed(value)).toBe(expected),
  );
});

describe("parseTypeSettings", () => {
  it("keeps only known members of git settings and drops empty refs", () => {
    const parsed = parseTypeSettings("git", { url: " https://e.com/r.git ", branch: "", tag: "v1", extra: 1 }, false);
    expect(parsed).toEqual({ url: "https://e.com/r.git", tag: "v1" });
  });

  it("stores {} for manual sources", () => expect(parseTypeSettings("manual", { anything: true }, false)).toEqual({}));

  it.each([
    [undefined, "Missing required field: typeSettings.url"],
    [{}, "Missing required field: typeSettings.url"],
    [null, "typeSettings must be an object"],
    ["https://e.com/r.git", "typeSettings must be an object"],
    [[], "typeSettings must be an object"],
    [{ url: 1 }, "typeSettings.url must be a string"],
    [{ url: "https://e.com/r.git", branch: 1 }, "typeSettings.branch must be a string"],
    [{ url: "https://e.com/r.git", authToken: 1 }, "typeSettings.authToken must be a string"],
    [{ url: "https://e.com/r.git", authToken: "x".repeat(4097) }, "typeSettings.authToken is too long"],
    [{ url: "https://e.com/r.git", tag: "a", commit: "b" }, "Only one of branch, tag or commit may be set"],
    [{ url: "https://e.com/r.git", branch: "a", tag: "b", commit: "c" }, "Only one of branch, tag or commit may be set"],
  ])("git %j → %s", (input, message) => expect(messageOf(() => parseTypeSettings("git", input, false))).toBe(message));

  it("refuses non-object settings for manual sources too", () => {
    expect(messageOf(() => parseTypeSettings("manual", "x", false))).toBe("typeSettings must be an object");
  });
});

describe("parseSyncSettings", () => {
  it("accepts the three members and drops unknown ones", () => {
    expect(parseSyncSettings({ intervalSeconds: 0, webhookEnabled: false, webhookSecret: "s", other: 1 })).toEqual({
      intervalSeconds: 0,
      webhookEnabled: false,
      webhookSecret: "s",
    });
    expect(parseSyncSettings(undefined)).toEqual({});
  });

  it.each([
    [[], "syncSettings must be an object"],
    [null, "syncSettings must be an object"],
    [{ intervalSeconds: -5 }, "intervalSeconds must be a non-negative number"],
    [{ intervalSeconds: "300" }, "intervalSeconds must be a non-negative number"],
    [{ webhookEnabled: "yes" }, "webhookEnabled must be a boolean"],
    [{ webhookSecret: 42 }, "webhookSecret must be a string"],
  ])("%j → %s", (input, message) => expect(messageOf(() => parseSyncSettings(input))).toBe(message));
});

describe("redaction", () => {
  it("replaces set secrets with ***REDACTED*** and omits unset ones", () => {
    expect(redactTypeSettings({ url: "https://e.com/r.git", authToken: "Aabc" })).toEqual({ url: "https://e.com/r.git", authToken: REDACTED });
    expect(redactTypeSettings({ url: "https://e.com/r.git" })).toEqual({ url: "https://e.com/r.git" });
    expect(redactSyncSettings({ webhookSecret: "Axyz", webhookEnabled: true })).toEqual({ webhookSecret: REDACTED, webhookEnabled: true });
    expect(redactSyncSettings({})).toEqual({});
  });
});

describe("hasGitTargetChanged", () => {
  const base = { url: "https://e.com/r.git", branch: "main", authToken: "A1" };
  it("ignores the token, notices url/branch/tag/commit", () => {
    expect(hasGitTargetChanged(base, { ...base, authToken: "A2" })).toBe(false);
    expect(hasGitTargetChanged(base, { ...base, branch: "dev" })).toBe(true);
    expect(hasGitTargetChanged(base, { url: base.url, tag: "v1" })).toBe(true);
    expect(hasGitTargetChanged(base, { ...base, url: "https://e.com/other.git" })).toBe(true);
  });
});

describe("source names", () => {
  it.each(["production-api", "a", "A_1", "9lives", "x".repeat(64)])("accepts %s", (n) => expect(n).toMatch(SOURCE_NAME_PATTERN));
  it.each(["", "-a", "_a", "a b", "a.b", "x".repeat(65), "ä"])("rejects %j", (n) => expect(n).not.toMatch(SOURCE_NAME_PATTERN));
});
