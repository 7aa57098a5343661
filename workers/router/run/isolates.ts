/**
 * Which function isolates are live, and when to evict them. workerd keeps every named
 * Worker Loader isolate for the life of the process (about 2–3 MB each), so without this,
 * memory would grow with every function version ever called. The policy:
 *
 * - a version superseded by a newer one of the same function is evicted once it has been
 *   idle for SUPERSEDED_GRACE_MS (in-flight calls finish on the old code first);
 * - any version idle for IDLE_MS is evicted (the next call loads it again, ~10 ms);
 * - past MAX_LIVE isolates, the least recently used idle ones are evicted at once.
 *
 * Sweeps run off the response path (waitUntil), at most every SWEEP_INTERVAL_MS, because
 * workerd has no timers outside requests. Evicting calls the prelude's `Control.evict()`,
 * which aborts the isolate with `abortIsolate`; workerd then drops it and frees its memory
 * for reuse (workerd prints one error line per eviction). Runtimes without `abortIsolate`
 * (workerd before 2026-11, e.g. under wrangler dev) cannot evict: memory is then bounded only
 * by the number of function versions called since start.
 */
export const IDLE_MS = 10 * 60_000;
export const SUPERSEDED_GRACE_MS = 10_000;
export const MAX_LIVE = 256;
export const SWEEP_INTERVAL_MS = 15_000;

interface LiveIsolate<Code> {
  functionId: string;
  lastUsed: number;
  inFlight: number;
  getCode: () => Code;
}

/** Evicts one isolate; resolves false when the runtime cannot evict. */
export type Evict<Code> = (loaderId: string, getCode: () => Code) => Promise<boolean>;

/** The live isolates of one router isolate; `Code` is what the Worker Loader loads. */
export class IsolatePool<Code> {
  readonly #live = new Map<string, LiveIsolate<Code>>();
  /** The newest loader id of each function. */
  readonly #current = new Map<string, string>();
  #lastSweep = 0;
  #canEvict = true;

  /** Marks a call starting on an isolate; returns the function that marks it finished. */
  begin(functionId: string, loaderId: string, getCode: () => Code, now = Date.now()): () => void {
    let isolate = this.#live.get(loaderId);
    if (isolate === undefined) {
      isolate = { functionId, lastUsed: now, inFlight: 0, getCode };
      this.#live.set(loaderId, isolate);
    }
    this.#current.set(functionId, loaderId);
    isolate.inFlight++;
    isolate.lastUsed = now;
    const live = isolate;
    return () => {
      live.inFlight--;
      live.lastUsed = Date.now();
    };
  }

  get size(): number {
    return this.#live.size;
  }

  /** Loader ids to evict now, by the policy above. */
  victims(now = Date.now()): string[] {
    const idle = [...this.#live].filter(([, isolate]) => isolate.inFlight === 0);
    const chosen = new Set<string>();
    for (const [id, isolate] of idle) {
      const superseded = this.#current.get(isolate.functionId) !== id;
      const idleFor = now - isolate.lastUsed;
      if (idleFor >= IDLE_MS || (superseded && idleFor >= SUPERSEDED_GRACE_MS)) chosen.add(id);
    }
    const excess = this.#live.size - chosen.size - MAX_LIVE;
    if (excess > 0) {
      const oldest = idle.filter(([id]) => !chosen.has(id)).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
      for (const [id] of oldest.slice(0, excess)) chosen.add(id);
    }
    return [...chosen];
  }

  /** True when a sweep should run now (cheap: checked on every call). */
  isSweepDue(now = Date.now()): boolean {
    if (!this.#canEvict) return false;
    return now - this.#lastSweep >= SWEEP_INTERVAL_MS || this.#live.size > MAX_LIVE;
  }

  /** Runs a sweep when one is due; never throws. */
  async sweep(evict: Evict<Code>, now = Date.now()): Promise<number> {
    if (!this.isSweepDue(now)) return 0;
    this.#lastSweep = now;
    let evicted = 0;
    for (const id of this.victims(now)) {
      const isolate = this.#live.get(id);
      if (isolate === undefined) continue;
      this.#live.delete(id);
      if (this.#current.get(isolate.functionId) === id) this.#current.delete(isolate.functionId);
      try {
        if (!(await evict(id, isolate.getCode))) {
          this.#canEvict = false;
          return evicted;
        }
      } catch {
        // Aborting the isolate fails the evict() call itself; that is the expected outcome.
      }
      evicted++;
    }
    return evicted;
  }
}
