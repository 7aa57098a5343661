/**
 * The router worker: wiring only. workerd's two sockets target the two gateways; wrangler dev
 * and single-port mode use the default export, which serves every endpoint.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
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

export { FunctionServices } from "./run/services";
export { KeyVault } from "../../durable-objects/key-vault";
export { SourceStore } from "../../durable-objects/source-store";
export { SqlDatabase } from "../../durable-objects/sql-database";
