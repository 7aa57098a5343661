import { buildAll } from "../../scripts/build.mjs";

/** Builds dist/ once; every test file then starts servers with --no-build. */
export default async function setup(): Promise<void> {
  await buildAll();
}
