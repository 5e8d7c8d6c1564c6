// One `wrangler dev` for all Node-side tests (test/browser/), stopped when they end.
import type { TestProject } from "vitest/node";
import { startWranglerDev } from "./wrangler-dev";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startWranglerDev();
  project.provide("baseUrl", server.url);
  return () => server.stop();
}
