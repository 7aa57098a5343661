/** HTTP methods a function may list (spec §2.3); upper case only. */
export const FUNCTION_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;

export type FunctionMethod = (typeof FUNCTION_METHODS)[number];

export function isFunctionMethod(value: unknown): value is FunctionMethod {
  return typeof value === "string" && (FUNCTION_METHODS as readonly string[]).includes(value);
}

/** A route pattern must start with `/` and hold no `//` (the route `/` itself aside). */
export function isValidRoutePath(route: string): boolean {
  if (!route.startsWith("/")) return false;
  return route === "/" || !route.includes("//");
}

// `:name`, then an optional `{regex}` and an optional `?`, in either order.
const PARAM_SEGMENT = /^:[^?{}]+(?:(\{.+\})\??|\?(\{.+\})?)?$/;

/**
 * The collision key of a route (spec §2.3): every `:param` (optional or not) becomes `*`,
 * keeping a `{regex}` constraint; `*` and literal segments stay as they are.
 */
export function normalizeRoute(route: string): string {
  if (route === "/" || route === "") return route;
  return route
    .split("/")
    .map((segment) => {
      const match = PARAM_SEGMENT.exec(segment);
      if (match === null) return segment;
      return `*${match[1] ?? match[2] ?? ""}`;
    })
    .join("/");
}

/** The methods two functions have in common, in the first one's order. */
export function sharedMethods(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((method) => b.includes(method));
}
