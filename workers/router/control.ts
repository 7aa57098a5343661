import { invocationsInFlight } from "./run/invocations";
import { flushTelemetry, telemetryBuffer } from "./logs/telemetry";

/** Longest a drain waits for calls in flight, as the original's shutdown does. */
export const DRAIN_CALLS_MS = 5_000;
/** Then this long for output that calls ship after their response (waitUntil work). */
export const DRAIN_LATE_OUTPUT_MS = 300;

let draining = false;

/** True once a drain has begun: /run then answers 503, so nothing new needs storing. */
export function isDraining(): boolean {
  return draining;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A graceful stop's first half. workerd exits at once on SIGTERM, dropping pending waitUntil
 * work, so `npm start`'s supervisor calls this (POST /drain on the loopback control socket)
 * before signalling: stop taking calls, let calls in flight finish, wait briefly for their
 * late output, and write every buffered line and metric before answering.
 */
export async function drain(env: Env): Promise<{ waitedForCalls: number; flushed: number; lost: number }> {
  draining = true;
  const started = Date.now();
  while (invocationsInFlight() > 0 && Date.now() - started < DRAIN_CALLS_MS) await sleep(10);
  const waitedForCalls = Date.now() - started;
  await sleep(DRAIN_LATE_OUTPUT_MS);
  const flushed = telemetryBuffer.pending;
  await flushTelemetry(env);
  return { waitedForCalls, flushed, lost: telemetryBuffer.lost };
}

/**
 * The control socket (config.capnp binds it to loopback; the supervisor learns its port):
 * `POST /drain` with `Authorization: Bearer $CONTROL_TOKEN`. Without a token set, it answers
 * nothing but 404.
 */
export async function handleControl(request: Request, env: Env): Promise<Response> {
  const token = env.CONTROL_TOKEN ?? "";
  const { pathname } = new URL(request.url);
  if (token === "" || pathname !== "/drain") return new Response("404 Not Found", { status: 404 });
  if (request.headers.get("Authorization") !== `Bearer ${token}`) return Response.json({ error: "Unauthorized" }, { status: 401 });
  if (request.method !== "POST") return Response.json({ error: "Method not allowed" }, { status: 405 });
  return Response.json(await drain(env));
}
