export * from "./functions";
export * from "./keys";
export * from "./settings";
export * from "./sources";
