import { WorkerEntrypoint } from "cloudflare:workers";
import type { ConsoleEntry } from "../../sandbox/console-capture";
import type { CallOutcome, SecretScope } from "../../sandbox/types";
import { lookupSecret } from "../../shared/db/secrets";
import { capturedLines } from "../../shared/logs/trace";
import { recordTelemetry } from "../logs/telemetry";
import { findInvocation, type Invocation } from "./invocations";

async function secretInScope(env: Env, call: Invocation, name: string, scope: SecretScope): Promise<string | undefined> {
  if (scope === "global") return lookupSecret(env, name, "global", "");
  if (scope === "function") return lookupSecret(env, name, "function", call.functionId);
  if (call.key === undefined) return undefined;
  return scope === "group" ? lookupSecret(env, name, "group", call.key.groupId) : lookupSecret(env, name, "key", call.key.keyId);
}

/**
 * What a function isolate may ask of the platform, over RPC: secrets and log shipping. Each
 * isolate's env holds a stub of this entrypoint bound to its function (props), made with
 * `ctx.exports.FunctionServices({ props })`; calls name the request they belong to.
 */
export class FunctionServices extends WorkerEntrypoint<Env, { functionId: string }> {
  #call(requestId: string): Invocation | undefined {
    return findInvocation(requestId, this.ctx.props.functionId);
  }

  /** No scope: the first of key → group → function → global; with one, only that scope. */
  async getSecret(requestId: string, name: string, scope?: SecretScope): Promise<string | undefined> {
    const call = this.#call(requestId);
    if (call === undefined) return undefined;
    if (scope !== undefined) return secretInScope(this.env, call, name, scope);
    for (const each of ["key", "group", "function", "global"] as const) {
      const value = await secretInScope(this.env, call, name, each);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Every scope's value of a secret (spec §2.2); undefined when no scope has it. */
  async getCompleteSecret(requestId: string, name: string): Promise<object | undefined> {
    const call = this.#call(requestId);
    if (call === undefined) return undefined;
    const result: Record<string, unknown> = {};
    const global = await secretInScope(this.env, call, name, "global");
    if (global !== undefined) result.global = global;
    const fn = await secretInScope(this.env, call, name, "function");
    if (fn !== undefined) result.function = fn;
    const key = call.key;
    if (key !== undefined) {
      const group = await secretInScope(this.env, call, name, "group");
      if (group !== undefined) result.group = { value: group, groupId: key.groupId, groupName: key.groupName };
      const own = await secretInScope(this.env, call, name, "key");
      if (own !== undefined) {
        result.key = { value: own, groupId: key.groupId, groupName: key.groupName, keyId: key.keyId, keyName: key.keyName };
      }
    }
    return Object.keys(result).length === 0 ? undefined : result;
  }

  /**
   * What a call wrote before its response, and how it ended when that was not "ok". The
   * prelude reports this just before answering, and only when there is something to report, so
   * a quiet successful call costs no round trip; the router then stores exec_start, these
   * lines and exec_end together.
   */
  async report(requestId: string, entries: ConsoleEntry[], outcome: CallOutcome): Promise<void> {
    const call = this.#call(requestId);
    if (call === undefined || !Array.isArray(entries)) return;
    call.entries = entries;
    if (outcome === "error" || outcome === "load-error") call.outcome = outcome;
  }

  /**
   * Lines a call wrote after its response (waitUntil work, promises nobody awaited), shipped by
   * the prelude once that work settled. Always filed under this isolate's own function; the
   * cap and field limits are applied again here, since user code runs in the isolate.
   */
  async log(requestId: string, entries: ConsoleEntry[], firstSequence: number): Promise<void> {
    if (typeof requestId !== "string" || !/^[0-9a-f-]{36}$/.test(requestId) || !Array.isArray(entries)) return;
    const first = Number.isSafeInteger(firstSequence) && firstSequence > 0 ? firstSequence : 1;
    const call = { requestId, functionId: this.ctx.props.functionId, method: "", url: "", startedAt: Date.now() };
    await recordTelemetry(this.env, this.ctx, capturedLines(call, entries, first, Math.max(0, first - 2)));
  }
}
