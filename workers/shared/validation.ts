import type { z } from "zod";
import { HttpError } from "./errors";

/** Validates input with a zod schema; the first problem becomes a 400 with its message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new HttpError(400, result.error.issues[0]?.message ?? "Invalid input");
}
