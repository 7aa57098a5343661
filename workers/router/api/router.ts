import { type IRequest, Router, type RouterType } from "itty-router";

/** The management API router type every resource module registers its routes on. */
export type ApiRouter = RouterType<IRequest, [Env, ExecutionContext]>;

export function createApiRouter(): ApiRouter {
  return Router<IRequest, [Env, ExecutionContext]>({ base: "/api" });
}
