import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { api, sourceWith, unique } from "./helpers";

/** A function running `code` on a fresh route; answers its id and route. */
export async function functionWith(code: string, extra: Record<string, unknown> = {}): Promise<{ id: string; route: string }> {
  const src = await sourceWith({ "handler.ts": code });
  const route = `/${unique("logfn")}`;
  const response = await api("/functions", "POST", { name: unique("fn"), handler: `${src}/handler.ts`, route, methods: ["GET", "POST"], ...extra });
  expect(response.status).toBe(201);
  const { function: created } = (await response.json()) as { function: { id: string } };
  return { id: created.id, route };
}

export const run = (path: string, init?: RequestInit) => SELF.fetch(`http://localhost/run${path}`, init);

export interface StoredLine {
  id: string;
  requestId: string;
  functionId: string;
  level: string;
  message: string;
  args?: string;
  sequence: number;
  timestamp: string;
}

/** GET /api/logs with a query, as JSON. */
export async function logs(query: string): Promise<{ logs: StoredLine[]; pagination: { limit: number; hasMore: boolean; next?: string; prev?: string } }> {
  const response = await api(`/logs?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: never }).data;
}

/** Waits until `query` lists at least `count` lines (writes are batched off the response path). */
export async function linesEventually(query: string, count: number, timeoutMs = 5000): Promise<StoredLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { logs: found } = await logs(`${query}&limit=1000`);
    if (found.length >= count || Date.now() > deadline) return found.reverse();
    await new Promise((r) => setTimeout(r, 25));
  }
}
