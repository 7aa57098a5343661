import { type LogFilter, type LogRecord, matchesFilter } from "../../shared/logs/levels";

/**
 * The live-stream fan-out, in router-isolate memory. Writers only push onto plain arrays —
 * never onto a subscriber's stream, which belongs to another request — so a slow or vanished
 * client cannot block them. Each subscriber's queue is bounded: past QUEUE_LIMIT the oldest
 * lines are dropped and counted, and the stream says how many.
 */
export const QUEUE_LIMIT = 1000;
export const MAX_SUBSCRIBERS = 64;

export class Subscription {
  readonly #queue: LogRecord[] = [];
  #dropped = 0;

  constructor(
    readonly filter: LogFilter,
    private readonly bus: LogBus,
  ) {}

  offer(record: LogRecord): void {
    if (!matchesFilter(record, this.filter)) return;
    this.#queue.push(record);
    if (this.#queue.length > QUEUE_LIMIT) {
      this.#queue.shift();
      this.#dropped++;
    }
  }

  /** Everything queued since the last call, and how many lines were dropped meanwhile. */
  take(): { records: LogRecord[]; dropped: number } {
    const records = this.#queue.splice(0);
    const dropped = this.#dropped;
    this.#dropped = 0;
    return { records, dropped };
  }

  close(): void {
    this.bus.remove(this);
  }
}

export class LogBus {
  readonly #subscribers = new Set<Subscription>();

  get size(): number {
    return this.#subscribers.size;
  }

  /** A new subscription, or undefined when MAX_SUBSCRIBERS streams are open. */
  subscribe(filter: LogFilter): Subscription | undefined {
    if (this.#subscribers.size >= MAX_SUBSCRIBERS) return undefined;
    const subscription = new Subscription(filter, this);
    this.#subscribers.add(subscription);
    return subscription;
  }

  remove(subscription: Subscription): void {
    this.#subscribers.delete(subscription);
  }

  publish(records: readonly LogRecord[]): void {
    for (const subscription of this.#subscribers) {
      for (const record of records) subscription.offer(record);
    }
  }
}

/** The router isolate's bus. */
export const logBus = new LogBus();
