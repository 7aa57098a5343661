import { SELF } from "cloudflare:test";
import { expect } from "vitest";

export const API_KEY = "integration-test-key";

/** A management API call with the test key; objects are sent as JSON. */
export function api(path: string, method = "GET", body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`http://localhost/api${path}`, {
    method,
    headers: { "X-API-Key": API_KEY, "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function expectError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error });
}

export const unique = (prefix: string): string => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** A manual source holding `files` (path → text); answers its name. */
export async function sourceWith(files: Record<string, string>, name = unique("src")): Promise<string> {
  const response = await api("/sources", "POST", { name, type: "manual" });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  for (const [path, content] of Object.entries(files)) {
    const put = await api(`/sources/${id}/files/${path}`, "PUT", content, { "Content-Type": "text/plain" });
    expect(put.status).toBeLessThan(300);
  }
  return name;
}
