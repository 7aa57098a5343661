import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readConfig, socketAddress } from "../../scripts/config.mjs";

const scratch = mkdtempSync(join(tmpdir(), "crude-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("readConfig", () => {
  it("defaults to ports 8000 and 9000, host 0.0.0.0 and ./data", () => {
    const config = readConfig({}, scratch);
    expect(config).toEqual({
      functionPort: 8000,
      managementPort: 9000,
      host: "0.0.0.0",
      dataDir: join(scratch, "data"),
      singlePort: false,
      watchdogSeconds: 30,
    });
  });

  it("switches to single-port mode when both ports are equal", () => {
    expect(readConfig({ FUNCTION_PORT: "7000", MANAGEMENT_PORT: "7000" }, scratch).singlePort).toBe(true);
  });

  it.each([
    ["FUNCTION_PORT", "abc"],
    ["FUNCTION_PORT", "0"],
    ["MANAGEMENT_PORT", "65536"],
    ["MANAGEMENT_PORT", "80.5"],
  ])("rejects %s=%s with a one-line reason", (name, value) => {
    expect(() => readConfig({ [name]: value }, scratch)).toThrow(`${name} must be a port number from 1 to 65535 (got "${value}")`);
  });

  it("rejects a data directory that cannot be created", () => {
    const file = join(scratch, "plain-file");
    writeFileSync(file, "x");
    expect(() => readConfig({ DATA_DIR: join(file, "data") }, scratch)).toThrow(/DATA_DIR ".*" is not a writable directory \(ENOTDIR\)/);
  });

  it("rejects a MANAGEMENT_API_KEY with characters a key may not have", () => {
    expect(() => readConfig({ MANAGEMENT_API_KEY: "has space" }, scratch)).toThrow("MANAGEMENT_API_KEY may only contain");
  });

  it("rejects ALLOW_INSECURE_GIT_HTTP other than true/false", () => {
    expect(() => readConfig({ ALLOW_INSECURE_GIT_HTTP: "yes" }, scratch)).toThrow('ALLOW_INSECURE_GIT_HTTP must be "true" or "false"');
  });

  it("reads WATCHDOG_SECONDS, 0 turning the watchdog off, and rejects anything else", () => {
    expect(readConfig({ WATCHDOG_SECONDS: "0" }, scratch).watchdogSeconds).toBe(0);
    expect(readConfig({ WATCHDOG_SECONDS: "5" }, scratch).watchdogSeconds).toBe(5);
    expect(() => readConfig({ WATCHDOG_SECONDS: "soon" }, scratch)).toThrow("WATCHDOG_SECONDS must be a whole number of seconds");
  });

  it("brackets IPv6 hosts in socket addresses", () => {
    expect(socketAddress("::", 8000)).toBe("[::]:8000");
    expect(socketAddress("127.0.0.1", 8000)).toBe("127.0.0.1:8000");
  });
});
