import { z } from "zod";
import { ID_PATTERN } from "./ids";
import { type FunctionMethod, isFunctionMethod, isValidRoutePath } from "./route-patterns";

/** A function definition in the API's shape (spec §4.4). */
export interface FunctionDef {
  id: string;
  name: string;
  description: string | null;
  handler: string;
  route: string;
  methods: string[];
  keys: string[] | null;
  cors: CorsConfig | null;
  enabled: boolean;
}

/** Per-function CORS configuration (spec §4.3). */
export interface CorsConfig {
  origins: string[];
  credentials?: boolean;
  maxAge?: number;
  allowHeaders?: string[];
  exposeHeaders?: string[];
}

const nonBlank = (message: string) =>
  z.string({ error: message }).refine((value) => value.trim() !== "", message);

const headerList = (field: string) =>
  z
    .array(z.unknown(), { error: `cors.${field} must be an array of strings` })
    .refine((list) => list.every((h) => typeof h === "string" && h !== ""), `cors.${field} must contain only non-empty strings`)
    .transform((list) => list as string[]);

function isOrigin(origin: string): boolean {
  if (origin === "*") return true;
  try {
    new URL(origin);
    return true;
  } catch {
    return false;
  }
}

const ORIGINS_MESSAGE = "cors.origins must be a non-empty array of strings";

const corsConfig = z
  .object(
    {
      origins: z
        .array(z.unknown(), { error: ORIGINS_MESSAGE })
        .min(1, ORIGINS_MESSAGE)
        .superRefine((origins, check) => {
          for (const origin of origins) {
            if (typeof origin !== "string" || origin === "") {
              check.addIssue({ code: "custom", message: "cors.origins must contain only non-empty strings" });
              return;
            }
            if (!isOrigin(origin)) {
              check.addIssue({ code: "custom", message: `cors.origins contains invalid URL: ${origin}` });
              return;
            }
          }
        })
        .transform((origins) => origins as string[]),
      credentials: z.boolean({ error: "cors.credentials must be a boolean" }).optional(),
      maxAge: z
        .number({ error: "cors.maxAge must be a non-negative integer" })
        .int("cors.maxAge must be a non-negative integer")
        .min(0, "cors.maxAge must be a non-negative integer")
        .optional(),
      allowHeaders: headerList("allowHeaders").optional(),
      exposeHeaders: headerList("exposeHeaders").optional(),
    },
    { error: "cors must be an object" },
  )
  .refine((cors) => !(cors.credentials === true && cors.origins.includes("*")), {
    message: "cors.credentials cannot be true when origins includes '*'",
  })
  .transform((cors): CorsConfig => {
    const result: CorsConfig = { origins: cors.origins };
    if (cors.credentials !== undefined) result.credentials = cors.credentials;
    if (cors.maxAge !== undefined) result.maxAge = cors.maxAge;
    if (cors.allowHeaders !== undefined) result.allowHeaders = cors.allowHeaders;
    if (cors.exposeHeaders !== undefined) result.exposeHeaders = cors.exposeHeaders;
    return result;
  });

const METHODS_MESSAGE = "Invalid or missing methods";
const ROUTE_MESSAGE = "Invalid or missing route path";

/**
 * The body of `POST /api/functions` and `PUT /api/functions/:id` (full replacement), with the
 * spec's messages (§4.4). Methods become a sorted set, as the original stores them; an empty
 * `keys` array means "no keys".
 */
export const functionInput = z.object({
  name: nonBlank("Invalid or missing name"),
  handler: nonBlank("Invalid or missing handler"),
  route: z.string({ error: ROUTE_MESSAGE }).refine(isValidRoutePath, ROUTE_MESSAGE),
  methods: z
    .array(z.unknown(), { error: METHODS_MESSAGE })
    .min(1, METHODS_MESSAGE)
    .refine((methods) => methods.every(isFunctionMethod), METHODS_MESSAGE)
    .transform((methods) => [...new Set(methods as FunctionMethod[])].sort()),
  description: z.string({ error: "description must be a string" }).nullish(),
  keys: z
    .array(z.unknown(), { error: "keys must be an array of group IDs" })
    .refine(
      (keys) => keys.every((k) => typeof k === "string" && ID_PATTERN.test(k)),
      "keys must be an array of valid string group IDs",
    )
    .transform((keys) => keys as string[])
    .nullish(),
  cors: corsConfig.nullish(),
});

export type FunctionInput = z.output<typeof functionInput>;
