import type { ConsoleEntry } from "../../sandbox/console-capture";
import type { CallOutcome } from "../../sandbox/types";
import type { KeyMatch } from "../../shared/db/api-keys";

/** Who is calling: what a function's secret lookups are scoped by (spec §2.2). */
export interface Invocation {
  functionId: string;
  key?: KeyMatch;
  /** Console lines the call wrote before its response, reported by its isolate. */
  entries?: ConsoleEntry[];
  /** Set by the isolate when the call did not end well; absent means "ok". */
  outcome?: CallOutcome;
}

/**
 * Calls in flight in this router isolate, by request id. A function isolate names its call by
 * request id when it calls back (secrets, logs); the router answers only for a call it started
 * for that same function, so a handler cannot borrow another function's identity.
 */
const inFlight = new Map<string, Invocation>();

/**
 * Calls that answered recently, so that work a handler leaves running after its response
 * (waitUntil, promises nobody awaited) can still read its secrets. Kept for RECENT_MS, and at
 * most RECENT_MAX of them (oldest go first), so memory stays bounded under any load.
 */
const recent = new Map<string, { invocation: Invocation; until: number }>();
export const RECENT_MS = 30_000;
export const RECENT_MAX = 10_000;

function pruneRecent(now: number): void {
  for (const [requestId, entry] of recent) {
    if (recent.size <= RECENT_MAX && entry.until > now) break;
    recent.delete(requestId);
  }
}

export function beginInvocation(requestId: string, invocation: Invocation): () => void {
  inFlight.set(requestId, invocation);
  return () => {
    inFlight.delete(requestId);
    const now = Date.now();
    recent.set(requestId, { invocation, until: now + RECENT_MS });
    pruneRecent(now);
  };
}

export function findInvocation(requestId: string, functionId: string): Invocation | undefined {
  const invocation = inFlight.get(requestId) ?? recentInvocation(requestId);
  return invocation?.functionId === functionId ? invocation : undefined;
}

function recentInvocation(requestId: string): Invocation | undefined {
  const entry = recent.get(requestId);
  return entry !== undefined && entry.until > Date.now() ? entry.invocation : undefined;
}

/** How many calls are running now (a graceful stop waits for them). */
export function invocationsInFlight(): number {
  return inFlight.size;
}
