import { describe, expect, it } from "vitest";
import { buildModuleMap, relativeImports, resolveCodePath } from "../../workers/router/run/module-map";

const files = (entries: Record<string, string>) => async (path: string) =>
  path in entries ? new TextEncoder().encode(entries[path]) : null;

describe("resolveCodePath", () => {
  it.each([
    ["fns", "./a.ts", "fns/a.ts"],
    ["fns", "../shared/x.ts", "shared/x.ts"],
    ["fns/lib", "../../shared/x.ts", "shared/x.ts"],
    ["", "./fns/hello.ts", "fns/hello.ts"],
    ["fns", "../../x.ts", null],
    ["", "/etc/passwd", null],
  ])("%s + %s → %s", (dir, path, resolved) => {
    expect(resolveCodePath(dir, path)).toBe(resolved);
  });
});

describe("relativeImports", () => {
  it("finds static, re-export and literal dynamic imports, not bare or builtin ones", () => {
    const code = `import a from "./a.ts";\nimport { b,\n c } from '../lib/b.ts';\nexport * from "./c.ts";\nimport "./d.ts";\nconst e = await import("./e.ts");\nimport z from "zod";\nimport { Buffer } from "node:buffer";`;
    expect(relativeImports(code).sort()).toEqual(["../lib/b.ts", "./a.ts", "./c.ts", "./d.ts", "./e.ts"]);
  });
});

describe("buildModuleMap", () => {
  it("transpiles the handler and its relative imports, also across sources", async () => {
    const result = await buildModuleMap(
      "./fns/hello.ts",
      files({
        "fns/hello.ts": 'import { x } from "./lib/x.ts";\nimport { y } from "../shared/y.ts";\nexport default (c: unknown): string => x + y;',
        "fns/lib/x.ts": "export const x: number = 1;",
        "shared/y.ts": 'import data from "./data.json";\nexport const y = data.v as number;',
        "shared/data.json": '{"v": 2}',
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.map.entry).toBe("fns/hello.ts");
    expect(Object.keys(result.map.modules).sort()).toEqual(["fns/hello.ts", "fns/lib/x.ts", "shared/data.json", "shared/y.ts"]);
    expect(result.map.modules["fns/hello.ts"]).toEqual({ js: expect.not.stringContaining(": unknown") });
    expect(result.map.modules["shared/data.json"]).toEqual({ json: { v: 2 } });
  });

  it("reports a missing handler file, a syntax error and an escaping path", async () => {
    expect(await buildModuleMap("fns/none.ts", files({}))).toEqual({ ok: false, problem: { kind: "not-found" } });
    const syntax = await buildModuleMap("fns/a.ts", files({ "fns/a.ts": "export default function ( {" }));
    expect(syntax).toMatchObject({ ok: false, problem: { kind: "syntax" } });
    const helper = await buildModuleMap("fns/a.ts", files({ "fns/a.ts": 'import "./b.ts";', "fns/b.ts": "const = 1;" }));
    expect(helper).toMatchObject({ ok: false, problem: { kind: "syntax" } });
    expect(await buildModuleMap("../x.ts", files({}))).toMatchObject({ ok: false, problem: { kind: "escape" } });
  });

  it("leaves a missing imported file to the runtime", async () => {
    const result = await buildModuleMap("fns/a.ts", files({ "fns/a.ts": 'import "./gone.ts"; export default () => 1;' }));
    expect(result.ok && Object.keys(result.map.modules)).toEqual(["fns/a.ts"]);
  });
});
