/**
 * Who may trigger a sync through a source's webhook (spec §5.4, plus what GitHub and GitLab
 * send): the configured secret given in `X-Webhook-Secret`, `?secret=` or GitLab's
 * `X-Gitlab-Token`, or a signature of the raw body — HMAC-SHA256 keyed with the secret — in
 * GitHub's `X-Hub-Signature-256` (`sha256=<hex>`) or Gitea's `X-Gitea-Signature` (`<hex>`).
 * Every comparison is constant-time. Pure (WebCrypto only).
 */

import { constantTimeEqual } from "./crypto";

export interface WebhookCall {
  headers: Headers;
  query: URLSearchParams;
  /** The raw body; only read when a signature is present. */
  body: () => Promise<Uint8Array<ArrayBuffer>>;
}

const encoder = new TextEncoder();

async function hmacHex(secret: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** True when the call proves knowledge of `secret` in any accepted form. */
export async function isWebhookAuthorized(secret: string, call: WebhookCall): Promise<boolean> {
  const given = call.headers.get("X-Webhook-Secret") ?? call.query.get("secret") ?? "";
  if (given !== "" && (await constantTimeEqual(given, secret))) return true;
  const gitlab = call.headers.get("X-Gitlab-Token");
  if (gitlab !== null && (await constantTimeEqual(gitlab, secret))) return true;
  const github = call.headers.get("X-Hub-Signature-256");
  const gitea = call.headers.get("X-Gitea-Signature");
  if (github === null && gitea === null) return false;
  const mac = await hmacHex(secret, await call.body());
  if (github !== null && (await constantTimeEqual(github.trim().toLowerCase(), `sha256=${mac}`))) return true;
  return gitea !== null && (await constantTimeEqual(gitea.trim().toLowerCase(), mac));
}
