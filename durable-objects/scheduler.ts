/**
 * Scheduler — owns *when* the platform's periodic jobs run: log trimming and metric roll-ups
 * (workers/shared/maintenance.ts says what they do). workerd has no cron, and a Durable Object
 * alarm is durable: it survives restarts, and one that came due while the server was down
 * fires at start-up. One instance, named "main", with one alarm set to the earliest due job.
 *
 * Each job's next run is stored here (`jobs`), so changing an interval (PUT /api/settings
 * calls reschedule()) takes effect at once, without a restart. `runDue(now)` does the work of
 * an alarm at a chosen time, which is how tests drive it without waiting.
 */
import { DurableObject } from "cloudflare:workers";
import { settingNumber } from "../workers/shared/db/settings";
import { MAINTENANCE_JOBS, type MaintenanceJob } from "../workers/shared/maintenance";

export interface JobState {
  name: string;
  nextRunAt: number;
  lastRunAt: number | null;
  lastError: string | null;
}

export class Scheduler extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS jobs (
      name TEXT PRIMARY KEY, next_run_at INTEGER NOT NULL, last_run_at INTEGER, last_error TEXT)`);
  }

  /** Makes sure every job is planned and the alarm is set (start-up; idempotent). */
  async ensureScheduled(now = Date.now()): Promise<JobState[]> {
    for (const job of MAINTENANCE_JOBS) {
      if (this.#job(job.name) !== undefined) continue;
      // Reading the interval awaits I/O, so a concurrent call may have planned the job meanwhile.
      const next = now + (await this.#intervalMs(job));
      this.ctx.storage.sql.exec("INSERT INTO jobs (name, next_run_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", job.name, next);
    }
    await this.#armAlarm();
    return this.jobs();
  }

  /** Re-plans every job from its last run with the current interval settings. */
  async reschedule(now = Date.now()): Promise<JobState[]> {
    await this.ensureScheduled(now);
    for (const job of MAINTENANCE_JOBS) {
      const state = this.#job(job.name);
      const next = Math.max(now, (state?.lastRunAt ?? now) + (await this.#intervalMs(job)));
      this.ctx.storage.sql.exec("UPDATE jobs SET next_run_at = ? WHERE name = ?", next, job.name);
    }
    await this.#armAlarm();
    return this.jobs();
  }

  jobs(): JobState[] {
    return this.ctx.storage.sql
      .exec<{ name: string; next_run_at: number; last_run_at: number | null; last_error: string | null }>("SELECT * FROM jobs ORDER BY name")
      .toArray()
      .map((r) => ({ name: r.name, nextRunAt: r.next_run_at, lastRunAt: r.last_run_at, lastError: r.last_error }));
  }

  override async alarm(): Promise<void> {
    await this.runDue(Date.now());
  }

  /**
   * Runs every job due at `now` (all of them with `force`), then plans each one interval later.
   * A failing job is recorded and retried at its next run; it never stops the others.
   */
  async runDue(now: number, force = false): Promise<JobState[]> {
    await this.ensureScheduled(now);
    for (const job of MAINTENANCE_JOBS) {
      const state = this.#job(job.name);
      if (!force && state !== undefined && state.nextRunAt > now) continue;
      let error: string | null = null;
      try {
        await job.run(this.env, now);
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
        console.error(`scheduler: ${job.name} failed:`, error);
      }
      const next = now + (await this.#intervalMs(job));
      this.ctx.storage.sql.exec("UPDATE jobs SET next_run_at = ?, last_run_at = ?, last_error = ? WHERE name = ?", next, now, error, job.name);
    }
    await this.#armAlarm();
    return this.jobs();
  }

  #job(name: string): JobState | undefined {
    return this.jobs().find((j) => j.name === name);
  }

  async #intervalMs(job: MaintenanceJob): Promise<number> {
    return (await settingNumber(this.env, job.intervalSetting)) * 1000;
  }

  async #armAlarm(): Promise<void> {
    const next = Math.min(...this.jobs().map((j) => j.nextRunAt));
    // An overdue job fires at once.
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }
}
