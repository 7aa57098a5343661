import { describe, expect, it } from "vitest";
import { SETTINGS, settingDefinition } from "../../workers/shared/settings";

const check = (name: string, value: string) => settingDefinition(name)?.validate(value);

describe("setting definitions", () => {
  it("accept their own defaults", () => {
    for (const s of SETTINGS) expect(s.validate(s.default), s.name).toBeNull();
  });

  it("check numeric bounds with the original's messages", () => {
    expect(check("files.max-size-bytes", "100")).toBe("Must be at least 1024");
    expect(check("log.batching.max-batch-size", "501")).toBe("Must be at most 500");
    expect(check("metrics.retention-days", "ninety")).toBe("Must be a valid number");
    expect(check("metrics.aggregation-interval-seconds", "60s")).toBeNull();
  });

  it("check choices and group lists", () => {
    expect(check("log.level", "loud")).toBe("Invalid value. Must be one of: debug, info, warn, error, none");
    expect(check("api.access-groups", "management,ci-bots")).toBeNull();
    expect(check("api.access-groups", "")).toBeNull();
    expect(check("api.access-groups", "a,,b")).toBe("Invalid format. Must be comma-separated alphanumeric IDs");
  });
});
