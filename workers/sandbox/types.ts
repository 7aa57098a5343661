import type { CallOutcome } from "../shared/logs/levels";
import type { ConsoleEntry } from "./console-capture";

/** What a function's isolate knows about the function (fixed for the isolate's lifetime). */
export interface RouteInfo {
  name: string;
  description?: string;
  handler: string;
  route: string;
  methods: string[];
  keys?: string[];
}

export type SecretScope = "global" | "function" | "group" | "key";

/** The platform's RPC surface for one function (the router's FunctionServices entrypoint). */
export interface SandboxServices {
  getSecret(requestId: string, name: string, scope?: SecretScope): Promise<string | undefined>;
  getCompleteSecret(requestId: string, name: string): Promise<object | undefined>;
  /** Lines a call wrote before its response, and its outcome when not "ok". */
  report(requestId: string, entries: ConsoleEntry[], outcome: CallOutcome): Promise<void>;
  /** Lines a call wrote after its response, numbered from `firstSequence` within the call. */
  log(requestId: string, entries: ConsoleEntry[], firstSequence: number): Promise<void>;
}

/** The env the router gives every function isolate; the handler never sees it. */
export interface SandboxEnv {
  /** Specifier of the handler's module, relative to the prelude, e.g. `./my-functions/hello.ts`. */
  HANDLER_MODULE: string;
  ROUTE: RouteInfo;
  SERVICES: SandboxServices;
}

/** Per-call facts, passed as the entrypoint's props. */
export interface InvocationProps {
  requestId: string;
  authenticatedKeyGroup?: string;
  /**
   * The router's configuration version (bumped by every write, secrets included) and the key
   * the call authenticated with: together they decide which secret values a call may see, so
   * the isolate may reuse a value it looked up under the same pair.
   */
  configVersion: number;
  keyId?: string;
}

export type { CallOutcome };

