/**
 * isomorphic-git's HTTP client over a fetch function we choose (the platform's outbound for
 * git remotes), with a cap on the bytes a sync may download and one abort signal for the
 * whole sync, so a huge or stalled remote ends as an error instead of eating the process.
 */
import type { GitHttpRequest, GitHttpResponse, HttpClient } from "isomorphic-git";
import { concatBytes } from "../bytes";

export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpLimits {
  /** Most response bytes all requests of one sync may read together. */
  maxBytes: number;
  /** Aborts every request of the sync. */
  signal: AbortSignal;
}

/** Thrown when the remote sends more than `maxBytes`. */
export class DownloadTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`Repository download exceeds ${Math.round(maxBytes / (1024 * 1024))} MB`);
    this.name = "DownloadTooLargeError";
  }
}

async function collect(body: GitHttpRequest["body"]): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (body === undefined) return undefined;
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of body as AsyncIterable<Uint8Array>) {
    parts.push(part);
    size += part.byteLength;
  }
  return concatBytes(parts, size);
}

/** An HttpClient for isomorphic-git that sends every request through `fetchFn`. */
export function createGitHttpClient(fetchFn: FetchFunction, limits: HttpLimits): HttpClient {
  let received = 0;
  const request = async (req: GitHttpRequest): Promise<GitHttpResponse> => {
    const body = await collect(req.body);
    const response = await fetchFn(req.url, {
      method: req.method ?? "GET",
      headers: req.headers ?? {},
      ...(body !== undefined && { body }),
      signal: limits.signal,
      redirect: "follow",
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const reader = response.body?.getReader();
    const chunks: AsyncIterableIterator<Uint8Array> = {
      async next(): Promise<IteratorResult<Uint8Array>> {
        if (reader === undefined) return { done: true, value: undefined };
        const next = await reader.read();
        if (next.done) return { done: true, value: undefined };
        received += next.value.byteLength;
        if (received > limits.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new DownloadTooLargeError(limits.maxBytes);
        }
        return { done: false, value: next.value };
      },
      async return(): Promise<IteratorResult<Uint8Array>> {
        reader?.releaseLock();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return {
      url: response.url === "" ? req.url : response.url,
      method: req.method ?? "GET",
      statusCode: response.status,
      statusMessage: response.statusText,
      headers,
      body: chunks,
    };
  };
  return { request };
}
