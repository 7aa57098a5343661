import type { LogLine, RawMetric } from "../../shared/logs/levels";

/** Where flushed telemetry goes: one transaction per call. */
export interface TelemetrySink {
  write(lines: LogLine[], metrics: RawMetric[]): Promise<void>;
}

export interface BatchSettings {
  /** A flush starts as soon as this many lines are buffered. */
  batchSize: number;
  /** Otherwise lines wait at most this long. */
  delayMs: number;
}

/** Lines held at most; past it new lines are dropped (and counted) rather than exhausting memory. */
export const MAX_BUFFERED_LINES = 200_000;
/**
 * Most lines one write (one transaction) takes. A write takes everything buffered up to this,
 * so under load, lines that arrived while the previous write ran go out together: the cost of a
 * transaction is paid per batch, not per `batchSize` lines, and the buffer cannot fall behind.
 */
export const MAX_LINES_PER_WRITE = 1000;
const METRICS_PER_WRITE = 500;
/**
 * Least time between two writes. Each write is a transaction that SQLite syncs to disk (a few
 * milliseconds on the server's one thread); under load, waiting this long lets one write carry
 * the lines of many calls instead of paying that cost every `batchSize` lines.
 */
export const MIN_WRITE_GAP_MS = 25;
const WRITE_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Log lines and raw metrics waiting to be written, in router-isolate memory (spec §9.1). Calls
 * add to it and return at once; the flush runs off the response path in the context of the
 * request that started it (the caller keeps the returned promise alive with waitUntil). No
 * request ever awaits a flush that another request started — workerd forbids that — so at most
 * one flush loop runs, and others just leave their lines for it.
 */
export class TelemetryBuffer {
  #lines: LogLine[] = [];
  #metrics: RawMetric[] = [];
  #flushing = false;
  #timerArmed = false;
  #lastWriteEnd = 0;
  /** Lines given up on (buffer full, or writes failing); reported, never silent. */
  lost = 0;

  get pending(): number {
    return this.#lines.length + this.#metrics.length;
  }

  get isFlushing(): boolean {
    return this.#flushing;
  }

  /** Buffers lines (in order) and metrics; answers the flush work to keep alive, if this call started one. */
  add(lines: readonly LogLine[], metrics: readonly RawMetric[], settings: BatchSettings, sink: TelemetrySink): Promise<void> | undefined {
    const room = MAX_BUFFERED_LINES - this.#lines.length;
    if (lines.length > room) {
      this.lost += lines.length - Math.max(room, 0);
      console.error(`logs: buffer full, ${lines.length - Math.max(room, 0)} line(s) dropped (${this.lost} so far)`);
    }
    for (const line of room >= lines.length ? lines : lines.slice(0, Math.max(room, 0))) this.#lines.push(line);
    for (const metric of metrics) this.#metrics.push(metric);
    if (this.#flushing) return undefined;
    if (this.#lines.length >= settings.batchSize) return this.#run(sink);
    if (this.#timerArmed) return undefined;
    this.#timerArmed = true;
    return sleep(settings.delayMs).then(() => {
      this.#timerArmed = false;
      return this.#run(sink);
    });
  }

  /** Forgets the buffered lines of one function (its logs were just deleted). */
  discard(functionId: string): void {
    this.#lines = this.#lines.filter((line) => line.functionId !== functionId);
  }

  /** Writes everything buffered, in the caller's own context; resolves when nothing is left. */
  async flushAll(sink: TelemetrySink): Promise<void> {
    while (this.pending > 0 || this.#flushing) {
      if (this.#flushing) await sleep(5);
      else await this.#run(sink);
    }
  }

  async #run(sink: TelemetrySink): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.pending > 0) {
        const wait = this.#lastWriteEnd + MIN_WRITE_GAP_MS - Date.now();
        if (wait > 0) await sleep(wait);
        const lines = this.#lines.splice(0, MAX_LINES_PER_WRITE);
        const metrics = this.#metrics.splice(0, METRICS_PER_WRITE);
        await this.#write(lines, metrics, sink);
        this.#lastWriteEnd = Date.now();
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #write(lines: LogLine[], metrics: RawMetric[], sink: TelemetrySink): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.write(lines, metrics);
        return;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS) {
          this.lost += lines.length;
          console.error(`logs: write failed ${attempt} times, ${lines.length} line(s) and ${metrics.length} metric(s) dropped:`, error);
          return;
        }
        await sleep(50 * attempt);
      }
    }
  }
}
