/** The one error type of the platform: thrown anywhere, turned into a response in one place. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra members of the JSON body, e.g. `details` or `path`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** A JSON response with the given status. */
export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  const response = Response.json(data, { status, headers });
  return response;
}

/** The `{"error": …}` body every failure uses. */
export function errorResponse(error: HttpError): Response {
  return json({ error: error.message, ...error.extra }, error.status);
}

/** Turns anything thrown by a handler into a response; unknown errors are logged and answered 500. */
export function toErrorResponse(error: unknown, requestId: string): Response {
  if (error instanceof HttpError) return errorResponse(error);
  console.error(`[${requestId}] unhandled error:`, error instanceof Error ? (error.stack ?? error.message) : error);
  return json({ error: "Internal Server Error", requestId }, 500);
}

/** True when a database error (possibly wrapped by drizzle) is a UNIQUE constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}
