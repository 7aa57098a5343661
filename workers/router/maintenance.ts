/** The Scheduler Durable Object (one instance); a fresh stub per call, never shared across requests. */
function scheduler(env: Env) {
  return env.SCHEDULER.get(env.SCHEDULER.idFromName("main"));
}

/** Plans log trimming and metric roll-ups if they are not planned yet (start-up). */
export async function ensureMaintenanceScheduled(env: Env): Promise<void> {
  await scheduler(env).ensureScheduled();
}

/** Re-plans them after an interval setting changed. */
export async function rescheduleMaintenance(env: Env): Promise<void> {
  await scheduler(env).reschedule();
}

