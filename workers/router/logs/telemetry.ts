import { cachedFunctions } from "../../shared/db/functions";
import { writeTelemetry } from "../../shared/db/logs";
import { settingNumber } from "../../shared/db/settings";
import type { LogLine, LogRecord, RawMetric } from "../../shared/logs/levels";
import { logBus } from "./bus";
import { type BatchSettings, TelemetryBuffer, type TelemetrySink } from "./buffer";

/** The router isolate's buffer of log lines and raw metrics. */
export const telemetryBuffer = new TelemetryBuffer();

function toRecord(line: LogLine, id: number): LogRecord {
  const { functionId, args, ...rest } = line;
  return { id: String(id), ...rest, functionId: functionId ?? "", ...(args !== undefined && { args }) };
}

/**
 * Writes to `DB`, then hands the new lines to live streams. Lines of a function deleted while
 * they waited are dropped, so a deleted function leaves no logs behind.
 */
function sinkFor(env: Env): TelemetrySink {
  return {
    async write(lines, metrics) {
      const known = new Set((await cachedFunctions(env)).map((fn) => fn.id));
      const kept = lines.filter((line) => line.functionId === null || known.has(line.functionId));
      const streaming = logBus.size > 0;
      const ids = await writeTelemetry(env, kept, metrics, streaming);
      if (streaming) logBus.publish(kept.map((line, i) => toRecord(line, ids[i] ?? 0)));
    },
  };
}

async function batchSettings(env: Env): Promise<BatchSettings> {
  const [batchSize, delayMs] = await Promise.all([
    settingNumber(env, "log.batching.max-batch-size"),
    settingNumber(env, "log.batching.max-delay-ms"),
  ]);
  return { batchSize, delayMs };
}

/** Buffers one call's lines (in order) and its metric; the write happens later, off the response path. */
export async function recordTelemetry(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  lines: readonly LogLine[],
  metrics: readonly RawMetric[] = [],
): Promise<void> {
  if (lines.length === 0 && metrics.length === 0) return;
  const work = telemetryBuffer.add(lines, metrics, await batchSettings(env), sinkFor(env));
  if (work !== undefined) ctx.waitUntil(work);
}

/** Writes everything buffered before answering (graceful stop, tests). */
export async function flushTelemetry(env: Env): Promise<void> {
  await telemetryBuffer.flushAll(sinkFor(env));
}
