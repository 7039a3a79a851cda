// The Probot app as `probot run` loads it; its dependencies come from the environment.
import type { ApplicationFunction } from "probot";
import { createAppQueue, createSymphonyApp } from "./create-app.js";
import { SymphonyMetrics } from "./app/metrics.js";
import { drainOnTermination, OpenRuns } from "./app/shutdown.js";
import { systemClock } from "./lib/clock.js";
import { EnvUsageLimits, readUsageCaps } from "./app/usage-limits.js";
import { createModelRuntime, loadRuntimeSettings } from "./runner/index.js";

export { createSymphonyApp, type SymphonyDeps } from "./create-app.js";

const symphony: ApplicationFunction = (app, options) => {
  const runtime = createModelRuntime(loadRuntimeSettings(process.env), { logger: app.log });
  const limits = new EnvUsageLimits(readUsageCaps(process.env), systemClock);
  const queue = createAppQueue(app, process.env);
  const runs = new OpenRuns();
  drainOnTermination(queue, app.log, undefined, runs);
  const metrics = new SymphonyMetrics({ processMetrics: true });
  return createSymphonyApp({ runtime, queue, limits, runs, metrics })(app, options);
};

export default symphony;
