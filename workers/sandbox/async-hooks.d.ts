// The part of node:async_hooks the prelude uses (workerd provides it under nodejs_compat);
// the workers tsconfig has no Node types.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, fn: () => R): R;
  }
}
