/**
 * The router worker: wiring only. workerd's two sockets target the two gateways; wrangler dev
 * and single-port mode use the default export, which serves every endpoint.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { handleControl } from "./control";
import { dispatch } from "./gateway";

export default {
  fetch(request, env, ctx) {
    return dispatch(request, env, ctx, "all");
  },
} satisfies ExportedHandler<Env>;

/** FUNCTION_PORT: `/run*` and `/health`. */
export class FunctionsGateway extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return dispatch(request, this.env, this.ctx, "functions");
  }
}

/** MANAGEMENT_PORT: `/api/*`, `/web/*` and `/health`. */
export class ManagementGateway extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return dispatch(request, this.env, this.ctx, "management");
  }
}

/** Loopback control socket of `npm start`'s supervisor: `POST /drain` before a stop. */
export class ControlGateway extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return handleControl(request, this.env);
  }
}

export { FunctionServices } from "./run/services";
export { GitNetwork } from "./git-network";
export { KeyVault } from "../../durable-objects/key-vault";
export { Scheduler } from "../../durable-objects/scheduler";
export { SourceStore } from "../../durable-objects/source-store";
export { SourceSync } from "../../durable-objects/source-sync";
export { SqlDatabase } from "../../durable-objects/sql-database";
