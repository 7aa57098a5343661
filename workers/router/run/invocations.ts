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

export function beginInvocation(requestId: string, invocation: Invocation): () => void {
  inFlight.set(requestId, invocation);
  return () => inFlight.delete(requestId);
}

export function findInvocation(requestId: string, functionId: string): Invocation | undefined {
  const invocation = inFlight.get(requestId);
  return invocation?.functionId === functionId ? invocation : undefined;
}

/** How many calls are running now (a graceful stop waits for them). */
export function invocationsInFlight(): number {
  return inFlight.size;
}
