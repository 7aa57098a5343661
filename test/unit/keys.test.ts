import { describe, expect, it } from "vitest";
import { decrypt, encrypt, lookupHash, MAX_PLAINTEXT_BYTES } from "../../workers/shared/crypto";
import { generateKeyValue, GROUP_NAME_PATTERN, KEY_VALUE_PATTERN } from "../../workers/shared/key-values";
import type { Keyring } from "../../workers/shared/crypto";

const key = (fill: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(fill)));
const keyring: Keyring = {
  currentVersion: "B",
  currentKey: key(2),
  phasedOutVersion: "A",
  phasedOutKey: key(1),
  hashKey: key(9),
  lastRotationFinishedAt: "2026-01-01T00:00:00.000Z",
};

describe("generated key values", () => {
  it("are 43 URL-safe characters that pass the key-value rule", () => {
    for (let i = 0; i < 50; i++) {
      const value = generateKeyValue();
      expect(value).toHaveLength(43);
      expect(value).toMatch(KEY_VALUE_PATTERN);
    }
  });

  it("decode to 32 hex characters, as the original's do", () => {
    const value = generateKeyValue();
    const padded = value.replaceAll("-", "+").replaceAll("_", "/") + "=";
    expect(atob(padded)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("differ from call to call", () => {
    expect(new Set(Array.from({ length: 100 }, generateKeyValue)).size).toBe(100);
  });
});

describe("group names", () => {
  it.each(["management", "team-a", "ci_bots", "0"])("accepts %s", (name) => expect(name).toMatch(GROUP_NAME_PATTERN));
  it.each(["Team", "a b", "", "x.y"])("rejects %j", (name) => expect(name).not.toMatch(GROUP_NAME_PATTERN));
});

describe("encryption at rest", () => {
  it("round-trips and prefixes the current version letter", async () => {
    const sealed = await encrypt("s3cret value ✓", keyring);
    expect(sealed.startsWith("B")).toBe(true);
    expect(await decrypt(sealed, keyring)).toBe("s3cret value ✓");
  });

  it("uses a fresh IV each time", async () => {
    expect(await encrypt("same", keyring)).not.toBe(await encrypt("same", keyring));
  });

  it("decrypts values of the phased-out version", async () => {
    const old = await encrypt("old", { ...keyring, currentVersion: "A", currentKey: key(1) });
    expect(await decrypt(old, keyring)).toBe("old");
  });

  it("refuses unknown versions, short and tampered ciphertexts", async () => {
    const sealed = await encrypt("x", keyring);
    await expect(decrypt(`C${sealed.slice(1)}`, keyring)).rejects.toThrow("Unknown key version");
    await expect(decrypt("BAAAA", keyring)).rejects.toThrow("too short");
    // A character in the middle of the base64 text: all six of its bits are data (near the end,
    // some can be padding that decoding ignores).
    const tampered = sealed.slice(0, 20) + (sealed[20] === "A" ? "B" : "A") + sealed.slice(21);
    await expect(decrypt(tampered, keyring)).rejects.toThrow();
  });

  it(`rejects plaintexts over ${MAX_PLAINTEXT_BYTES} bytes`, async () => {
    await expect(encrypt("x".repeat(MAX_PLAINTEXT_BYTES + 1), keyring)).rejects.toThrow(RangeError);
  });

  it("hashes lookups with HMAC-SHA256 as 44 base64 characters, stable per value", async () => {
    const a = await lookupHash("value", keyring);
    expect(a).toHaveLength(44);
    expect(await lookupHash("value", keyring)).toBe(a);
    expect(await lookupHash("other", keyring)).not.toBe(a);
  });
});
