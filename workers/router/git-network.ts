import { WorkerEntrypoint } from "cloudflare:workers";

/**
 * GIT_NETWORK under wrangler dev and the integration tests: a plain fetch through Miniflare's
 * outbound. Under workerd, config.capnp binds GIT_NETWORK to a network service instead and
 * this class is unused. Nothing else can reach it: it is bound to no socket.
 */
export class GitNetwork extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> {
    return fetch(request);
  }
}
