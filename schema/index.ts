export * from "./functions";
export * from "./keys";
export * from "./secrets";
export * from "./settings";
export * from "./sources";
export * from "./logs";
export * from "./metrics";
