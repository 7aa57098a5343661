import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const capnp = readFileSync(join(root, "config.capnp"), "utf8");
const wrangler = unstable_readConfig({ config: join(root, "wrangler.toml") });

/** The text of the router worker's `bindings = [ … ]` list in config.capnp. */
function capnpBindingsBlock(): string {
  const start = capnp.indexOf("bindings = [");
  const end = capnp.indexOf("durableObjectNamespaces", start);
  expect(start).toBeGreaterThan(0);
  return capnp.slice(start, end);
}

describe("wrangler.toml and config.capnp", () => {
  it("declare the same binding names", () => {
    const fromCapnp = [...capnpBindingsBlock().matchAll(/^\s*\(name = "([A-Za-z0-9_]+)"/gm)].map((m) => m[1]).sort();
    const fromWrangler = [
      ...wrangler.d1_databases.map((d: { binding: string }) => d.binding),
      ...wrangler.worker_loaders.map((l: { binding: string }) => l.binding),
      ...wrangler.durable_objects.bindings.map((b: { name: string }) => b.name),
      ...wrangler.services.map((s: { binding: string }) => s.binding),
      ...Object.keys(wrangler.vars),
    ].sort();
    expect(fromCapnp).toEqual(fromWrangler);
    expect(fromCapnp).toContain("DB");
  });

  it("declare the same Durable Object classes", () => {
    const fromCapnp = [...capnp.matchAll(/className = "([A-Za-z]+)"/g)].map((m) => m[1]).sort();
    const fromWrangler = wrangler.migrations.flatMap((m: { new_sqlite_classes?: string[] }) => m.new_sqlite_classes ?? []).sort();
    expect(fromCapnp).toEqual(fromWrangler);
  });

  it("use the same compatibility date and flags", () => {
    expect(capnp).toContain(`compatibilityDate = "${wrangler.compatibility_date}"`);
    const flags = /compatibilityFlags = \[([^\]]*)\]/.exec(capnp)?.[1] ?? "";
    expect([...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1])).toEqual(wrangler.compatibility_flags);
  });
});
