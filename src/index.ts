// The Probot app as `probot run` loads it; its dependencies come from the environment.
import type { ApplicationFunction } from "probot";
import { createAppQueue, createSymphonyApp } from "./app/create-app.js";
import { drainOnTermination } from "./app/shutdown.js";
import { createModelRuntime, loadRuntimeSettings } from "./runner/index.js";

export { createSymphonyApp, type SymphonyDeps } from "./app/create-app.js";

const symphony: ApplicationFunction = (app, options) => {
  const runtime = createModelRuntime(loadRuntimeSettings(process.env), { logger: app.log });
  const queue = createAppQueue(app);
  drainOnTermination(queue, app.log);
  return createSymphonyApp({ runtime, queue })(app, options);
};

export default symphony;
