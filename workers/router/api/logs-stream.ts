import { logsAfter } from "../../shared/db/logs";
import { HttpError } from "../../shared/errors";
import type { LogFilter, LogRecord } from "../../shared/logs/levels";
import { parseLogFilter } from "../../shared/logs/query";
import { logBus, type Subscription } from "../logs/bus";
import { assertFunctionExists } from "./function-exists";

/** How often a stream looks for new lines; lines reach it after their batch is written. */
export const POLL_MS = 100;
const HEARTBEAT_MS = 15_000;
/** Most missed lines replayed to a client reconnecting with Last-Event-ID. */
const REPLAY_LIMIT = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function logEvent(record: LogRecord): string {
  return `id: ${record.id}\nevent: log\ndata: ${JSON.stringify(record)}\n\n`;
}

function lastEventId(request: Request, params: URLSearchParams): number | undefined {
  const raw = request.headers.get("Last-Event-ID") ?? params.get("lastEventId");
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, "Invalid Last-Event-ID");
  return Number(raw);
}

/**
 * Sends the stream from this request's own context: it polls its subscription's queue (plain
 * memory) and writes to its own stream, so nothing another request does waits on this client.
 * It ends when the client goes away — the stream's writable side errors as soon as the client
 * cancels, even between writes — and always unsubscribes.
 */
async function pump(env: Env, subscription: Subscription, writable: WritableStream<Uint8Array>, replayAfter?: number): Promise<void> {
  const writer = writable.getWriter();
  let isGone = false;
  void writer.closed.then(
    () => (isGone = true),
    () => (isGone = true),
  );
  const encoder = new TextEncoder();
  const send = async (text: string) => {
    await writer.ready;
    await writer.write(encoder.encode(text));
  };
  try {
    await send(": connected\nretry: 2000\n\n");
    let lastSent = replayAfter ?? 0;
    if (replayAfter !== undefined) {
      const missed = await logsAfter(env, replayAfter, subscription.filter, REPLAY_LIMIT);
      if (missed.length > 0) await send(missed.map(logEvent).join(""));
      lastSent = Number(missed.at(-1)?.id ?? lastSent);
    }
    let quietFor = 0;
    while (!isGone) {
      const { records, dropped } = subscription.take();
      const fresh = records.filter((r) => Number(r.id) > lastSent);
      let text = dropped > 0 ? `event: dropped\ndata: ${JSON.stringify({ dropped })}\n\n` : "";
      text += fresh.map(logEvent).join("");
      lastSent = Number(fresh.at(-1)?.id ?? lastSent);
      quietFor = text === "" ? quietFor + POLL_MS : 0;
      if (quietFor >= HEARTBEAT_MS) {
        text = ": keep-alive\n\n";
        quietFor = 0;
      }
      if (text !== "") await send(text);
      await sleep(POLL_MS);
    }
  } catch {
    // The client went away (the write failed) — the normal end of a stream.
  } finally {
    subscription.close();
    writer.abort().catch(() => undefined);
  }
}

/**
 * `GET /api/logs/stream?functionId=&level=`: server-sent events, one `log` event per new line
 * (its id is the line's id, so a reconnecting client resumes with Last-Event-ID), a `dropped`
 * event when this client fell more than the queue limit behind, and a comment every 15 s.
 */
export async function streamLogs(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const filter: LogFilter = parseLogFilter(params);
  await assertFunctionExists(env, filter.functionId);
  const replayAfter = lastEventId(request, params);
  const subscription = logBus.subscribe(filter);
  if (subscription === undefined) throw new HttpError(503, "Too many log streams open");
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  ctx.waitUntil(pump(env, subscription, writable, replayAfter));
  return new Response(readable, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" },
  });
}
