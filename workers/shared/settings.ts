/** Every platform setting (spec §10): its default and its validation. Values are strings. */
export interface SettingDefinition {
  name: string;
  default: string;
  /** Answers an error message, or null when the value is valid. */
  validate(value: string): string | null;
}

function integerIn(min: number, max: number): (value: string) => string | null {
  return (value) => {
    const n = Number.parseInt(value, 10);
    if (Number.isNaN(n)) return "Must be a valid number";
    if (n < min) return `Must be at least ${min}`;
    if (n > max) return `Must be at most ${max}`;
    return null;
  };
}

function oneOf(...values: string[]): (value: string) => string | null {
  return (value) => (values.includes(value) ? null : `Invalid value. Must be one of: ${values.join(", ")}`);
}

const ANY_TEXT = (): string | null => null;
const GROUP_LIST = (value: string): string | null =>
  value === "" || /^[a-zA-Z0-9_-]+(,[a-zA-Z0-9_-]+)*$/.test(value)
    ? null
    : "Invalid format. Must be comma-separated alphanumeric IDs";

export const SETTINGS: readonly SettingDefinition[] = [
  { name: "server.name", default: "Crude Functions", validate: ANY_TEXT },
  { name: "log.level", default: "info", validate: oneOf("debug", "info", "warn", "error", "none") },
  { name: "log.trimming.interval-seconds", default: "300", validate: integerIn(1, 86400) },
  { name: "log.trimming.max-per-function", default: "2000", validate: integerIn(100, 100000) },
  { name: "log.trimming.retention-seconds", default: "7776000", validate: integerIn(0, 31536000) },
  { name: "log.batching.max-batch-size", default: "50", validate: integerIn(1, 500) },
  { name: "log.batching.max-delay-ms", default: "50", validate: integerIn(10, 5000) },
  { name: "metrics.aggregation-interval-seconds", default: "60", validate: integerIn(10, 3600) },
  { name: "metrics.retention-days", default: "90", validate: integerIn(1, 365) },
  { name: "encryption.key-rotation.interval-days", default: "90", validate: integerIn(1, 365) },
  { name: "encryption.key-rotation.batch-size", default: "100", validate: integerIn(10, 1000) },
  { name: "encryption.key-rotation.batch-sleep-ms", default: "100", validate: integerIn(0, 5000) },
  { name: "api.access-groups", default: "management", validate: GROUP_LIST },
  { name: "files.max-size-bytes", default: "52428800", validate: integerIn(1024, 524288000) },
  { name: "job.processor.polling-interval-seconds", default: "5", validate: integerIn(1, 60) },
];

export function settingDefinition(name: string): SettingDefinition | undefined {
  return SETTINGS.find((s) => s.name === name);
}
