/**
 * Code-source settings (spec §5.1, §5.2): names, git `typeSettings`, `syncSettings`, their
 * validation messages and their redaction. Pure: encryption of the secret fields happens in
 * the data-access module, which stores ciphertext in the same members.
 */
import { z } from "zod";
import { HttpError } from "./errors";
import { parseInput } from "./validation";

export const REDACTED = "***REDACTED***";
export const SOURCE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;
export const SOURCE_TYPES = ["manual", "git"] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

const MAX_SECRET_CHARS = 4096;
const MAX_REF_CHARS = 255;

export interface GitTypeSettings {
  url: string;
  branch?: string;
  tag?: string;
  commit?: string;
  authToken?: string;
}
/** Manual sources keep `{}` (reserved). */
export type TypeSettings = GitTypeSettings | Record<string, never>;

export function isGitTypeSettings(settings: TypeSettings): settings is GitTypeSettings {
  return typeof settings.url === "string";
}

export interface SyncSettings {
  intervalSeconds?: number;
  webhookEnabled?: boolean;
  webhookSecret?: string;
}

/** Why a git URL is refused, or null when it is acceptable. */
export function gitUrlProblem(url: string, allowHttp: boolean): string | null {
  const example = "(e.g. https://github.com/org/repo.git)";
  const lower = url.trim().toLowerCase();
  if (lower.startsWith("git@") || lower.startsWith("ssh://") || lower.startsWith("git+ssh://")) {
    return `SSH URLs are not supported. Use an HTTPS URL instead ${example}`;
  }
  if (lower.startsWith("git://")) return `The git:// protocol is not supported. Use an HTTPS URL instead ${example}`;
  const isHttps = lower.startsWith("https://");
  if (!isHttps && !(allowHttp && lower.startsWith("http://"))) {
    return allowHttp ? `Git URL must use HTTPS or HTTP ${example}` : `Git URL must use HTTPS ${example}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return "Invalid Git URL";
  }
  if (parsed.hostname === "") return "Invalid Git URL";
  // The URL is shown in every response; a token inside it would leak.
  if (parsed.username !== "" || parsed.password !== "") {
    return "Git URL must not contain credentials; put the token in typeSettings.authToken";
  }
  return null;
}

/** An optional string member; "" counts as absent. */
function optionalText(field: string, max: number) {
  return z
    .string({ error: `${field} must be a string` })
    .max(max, `${field} is too long`)
    .optional()
    .transform((v) => (v === "" ? undefined : v));
}

function gitTypeSettingsSchema(allowHttp: boolean) {
  return z
    .object(
      {
        url: z
          .string({
            error: (issue) =>
              issue.input === undefined ? "Missing required field: typeSettings.url" : "typeSettings.url must be a string",
          })
          .superRefine((url, ctx) => {
            const problem = gitUrlProblem(url, allowHttp);
            if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
          })
          .transform((url) => url.trim()),
        branch: optionalText("typeSettings.branch", MAX_REF_CHARS),
        tag: optionalText("typeSettings.tag", MAX_REF_CHARS),
        commit: optionalText("typeSettings.commit", MAX_REF_CHARS),
        authToken: optionalText("typeSettings.authToken", MAX_SECRET_CHARS),
      },
      { error: "typeSettings must be an object" },
    )
    .refine((s) => [s.branch, s.tag, s.commit].filter((v) => v !== undefined).length <= 1, {
      message: "Only one of branch, tag or commit may be set",
    });
}

const syncSettingsSchema = z.object(
  {
    intervalSeconds: z
      .number({ error: "intervalSeconds must be a non-negative number" })
      .min(0, "intervalSeconds must be a non-negative number")
      .optional(),
    webhookEnabled: z.boolean({ error: "webhookEnabled must be a boolean" }).optional(),
    webhookSecret: optionalText("webhookSecret", MAX_SECRET_CHARS),
  },
  { error: "syncSettings must be an object" },
);

/** Drops members that are undefined, so stored JSON and responses stay minimal. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Validates `typeSettings` for a source type (undefined means `{}`); 400 with the spec's messages. */
export function parseTypeSettings(type: SourceType, input: unknown, allowHttp: boolean): TypeSettings {
  if (type === "manual") {
    if (input !== undefined && (typeof input !== "object" || input === null || Array.isArray(input))) {
      throw new HttpError(400, "typeSettings must be an object");
    }
    return {};
  }
  if (Array.isArray(input)) throw new HttpError(400, "typeSettings must be an object");
  return compact(parseInput(gitTypeSettingsSchema(allowHttp), input === undefined ? {} : input));
}

/** Validates `syncSettings` (undefined means `{}`). */
export function parseSyncSettings(input: unknown): SyncSettings {
  if (Array.isArray(input)) throw new HttpError(400, "syncSettings must be an object");
  return compact(parseInput(syncSettingsSchema, input === undefined ? {} : input));
}

/** Whether the env switch lets git sources use http:// (workerd may hand null or ""). */
export function isInsecureGitHttpAllowed(value: string | null | undefined): boolean {
  return value?.trim().toLowerCase() === "true";
}

/** The settings as a response shows them: set secrets become `"***REDACTED***"`. */
export function redactTypeSettings(settings: TypeSettings): TypeSettings {
  if (!isGitTypeSettings(settings)) return {};
  const { authToken, ...rest } = settings;
  return authToken === undefined ? rest : { ...rest, authToken: REDACTED };
}

export function redactSyncSettings(settings: SyncSettings): SyncSettings {
  const { webhookSecret, ...rest } = settings;
  return webhookSecret === undefined ? rest : { ...rest, webhookSecret: REDACTED };
}

/** True when the git ref a sync would check out differs (url, branch, tag or commit). */
export function hasGitTargetChanged(before: TypeSettings, after: TypeSettings): boolean {
  const a = before as Partial<GitTypeSettings>;
  const b = after as Partial<GitTypeSettings>;
  return a.url !== b.url || a.branch !== b.branch || a.tag !== b.tag || a.commit !== b.commit;
}
