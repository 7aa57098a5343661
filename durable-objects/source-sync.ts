/**
 * SourceSync — owns the sync state of one git source (one instance per source id, named by it).
 *
 * Why a Durable Object: one object per source serialises that source's syncs (one active sync
 * per source, spec §5.3) without locks, and its alarm is the source's interval schedule, which
 * survives restarts (workerd has no cron).
 *
 * State (one storage value): the job, queued or running (null when idle); whether a change of
 * the ref arrived while a job ran (then one more run follows); the interval, whether the
 * source is enabled, and when the next interval run is due.
 *
 * Syncs run in the alarm handler only. `trigger` queues a job and sets the alarm to now, so an
 * API call or a webhook answers at once and never waits on (or shares I/O with) a sync. A
 * second trigger while a job is queued or running is answered "busy" — a typed result the
 * API turns into 409, never a 500. A job found running when the object starts was cut short
 * by a restart, and is queued again. Interval runs are sequential: the next one is due
 * `intervalSeconds` after the previous sync ended.
 */
import { DurableObject } from "cloudflare:workers";
import { ensureReady } from "../workers/router/platform";
import { syncGitSource } from "../workers/shared/git/sync-source";
import { newId, nowIso } from "../workers/shared/ids";

export type SyncOrigin = "manual" | "webhook" | "update" | "interval";
export type TriggerResult = { ok: true; jobId: string } | { ok: false; reason: "busy" };

export interface SyncJob {
  id: string;
  origin: SyncOrigin;
  queuedAt: string;
  startedAt: string | null;
}

export interface SyncState {
  job: SyncJob | null;
  rerun: boolean;
  intervalSeconds: number;
  enabled: boolean;
  /** Epoch milliseconds; null when no interval runs. */
  nextIntervalAt: number | null;
}

interface Stored extends SyncState {
  sourceId: string;
}

const KEY = "state";

const newJob = (origin: SyncOrigin): SyncJob => ({ id: `job:${newId()}`, origin, queuedAt: nowIso(), startedAt: null });

export class SourceSync extends DurableObject<Env> {
  private state: Stored | null = null;
  private isRunning = false;
  /** Moves when the source is forgotten, so a sync still running cannot write afterwards. */
  private epoch = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      const stored = (await ctx.storage.get<Stored>(KEY)) ?? null;
      if (stored?.job?.startedAt != null) {
        stored.job.startedAt = null;
        this.state = stored;
        await this.save();
        await this.rearm();
      } else this.state = stored;
    });
  }

  /** Queues a sync unless one is queued or running. */
  async trigger(sourceId: string, origin: SyncOrigin): Promise<TriggerResult> {
    const state = this.load(sourceId);
    if (state.job !== null) return { ok: false, reason: "busy" };
    state.job = newJob(origin);
    await this.save();
    await this.rearm();
    return { ok: true, jobId: state.job.id };
  }

  /** The ref changed: queue a sync, or run once more after the one under way. */
  async retarget(sourceId: string): Promise<void> {
    const state = this.load(sourceId);
    if (state.job === null) state.job = newJob("update");
    else state.rerun = true;
    await this.save();
    await this.rearm();
  }

  /** Applies the source's interval (0 = none) and enabled flag; a disabled source's interval is paused. */
  async schedule(sourceId: string, intervalSeconds: number, enabled: boolean): Promise<void> {
    const state = this.load(sourceId);
    const seconds = Number.isFinite(intervalSeconds) && intervalSeconds > 0 ? intervalSeconds : 0;
    const isSame = state.intervalSeconds === seconds && state.nextIntervalAt !== null;
    state.intervalSeconds = seconds;
    state.enabled = enabled;
    if (seconds === 0) state.nextIntervalAt = null;
    else if (!isSame) state.nextIntervalAt = Date.now() + seconds * 1000;
    await this.save();
    await this.rearm();
  }

  status(): SyncState & { isSyncing: boolean } {
    const { sourceId: _id, ...state } = this.state ?? { sourceId: "", ...idle() };
    return { ...state, isSyncing: state.job !== null };
  }

  /** The source was deleted: drop the schedule and every trace; a running sync will not commit. */
  async forget(): Promise<void> {
    this.epoch++;
    this.state = null;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    const state = this.state;
    if (state === null || this.isRunning) return;
    const due = state.enabled && state.intervalSeconds > 0 && state.nextIntervalAt !== null && state.nextIntervalAt <= Date.now();
    if (state.job === null && due) state.job = newJob("interval");
    if (state.job === null) {
      await this.rearm();
      return;
    }
    const job = state.job;
    job.startedAt = nowIso();
    await this.save();
    this.isRunning = true;
    const epoch = this.epoch;
    let isGone = false;
    try {
      await ensureReady(this.env);
      const outcome = await syncGitSource(this.env, state.sourceId, () => this.epoch === epoch);
      isGone = outcome.kind === "gone";
    } catch (error) {
      // A bug or an outage of the platform's own storage; the next trigger or interval retries.
      console.error(`sync ${job.id} of source ${state.sourceId} failed unexpectedly:`, error instanceof Error ? error.message : error);
    } finally {
      this.isRunning = false;
    }
    if (this.epoch !== epoch) return;
    if (isGone) {
      await this.forget();
      return;
    }
    state.job = state.rerun ? newJob("update") : null;
    state.rerun = false;
    if (state.intervalSeconds > 0) state.nextIntervalAt = Date.now() + state.intervalSeconds * 1000;
    await this.save();
    await this.rearm();
  }

  private load(sourceId: string): Stored {
    this.state ??= { sourceId, ...idle() };
    return this.state;
  }

  private async save(): Promise<void> {
    if (this.state !== null) await this.ctx.storage.put(KEY, this.state);
  }

  /** The alarm is due now for a queued job, else at the next interval run, else not set. */
  private async rearm(): Promise<void> {
    const state = this.state;
    const times: number[] = [];
    if (state?.job != null && state.job.startedAt === null) times.push(Date.now());
    if (state !== null && state.enabled && state.intervalSeconds > 0 && state.nextIntervalAt !== null) times.push(state.nextIntervalAt);
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...times));
  }
}

function idle(): SyncState {
  return { job: null, rerun: false, intervalSeconds: 0, enabled: true, nextIntervalAt: null };
}
