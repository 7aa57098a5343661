import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "../../workers/shared/crypto";
import { isWebhookAuthorized } from "../../workers/shared/webhook-auth";

const SECRET = "hook-secret";
const body = new TextEncoder().encode('{"ref":"refs/heads/main"}');
const call = (headers: Record<string, string>, query = "") => ({
  headers: new Headers(headers),
  query: new URLSearchParams(query),
  body: async () => body,
});

describe("webhook authorisation", () => {
  it.each([
    ["X-Webhook-Secret", call({ "X-Webhook-Secret": SECRET })],
    ["?secret=", call({}, `secret=${SECRET}`)],
    ["GitLab's X-Gitlab-Token", call({ "X-Gitlab-Token": SECRET })],
    ["GitHub's X-Hub-Signature-256", call({ "X-Hub-Signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` })],
    ["Gitea's X-Gitea-Signature", call({ "X-Gitea-Signature": createHmac("sha256", SECRET).update(body).digest("hex") })],
  ])("accepts the secret in %s", async (_name, given) => {
    expect(await isWebhookAuthorized(SECRET, given)).toBe(true);
  });

  it.each([
    ["nothing", call({})],
    ["a wrong secret", call({ "X-Webhook-Secret": "nope" })],
    ["a secret that is a prefix", call({ "X-Webhook-Secret": SECRET.slice(0, -1) })],
    ["a wrong query secret", call({}, "secret=nope")],
    ["a GitHub signature of another body", call({ "X-Hub-Signature-256": `sha256=${createHmac("sha256", SECRET).update("other").digest("hex")}` })],
    ["a GitHub signature with another key", call({ "X-Hub-Signature-256": `sha256=${createHmac("sha256", "other").update(body).digest("hex")}` })],
    ["a Gitea signature with the GitHub prefix", call({ "X-Gitea-Signature": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` })],
  ])("refuses %s", async (_name, given) => {
    expect(await isWebhookAuthorized(SECRET, given)).toBe(false);
  });

  it("compares equal strings only", async () => {
    expect(await constantTimeEqual("abc", "abc")).toBe(true);
    expect(await constantTimeEqual("abc", "abd")).toBe(false);
    expect(await constantTimeEqual("", "a")).toBe(false);
  });
});
