// The Probot app as `probot run` loads it; its dependencies come from the environment.
import type { ApplicationFunction } from "probot";
import { createAppQueue, createSymphonyApp } from "./app/create-app.js";
import { SymphonyMetrics } from "./app/metrics.js";
import { drainOnTermination, OpenRuns } from "./app/shutdown.js";
import { systemClock } from "./app/clock.js";
import { EnvUsageLimits, readUsageCaps } from "./app/usage-limits.js";
import { createModelRuntime, loadRuntimeSettings } from "./runner/index.js";

export { createSymphonyApp, type SymphonyDeps } from "./app/create-app.js";

const symphony: ApplicationFunction = (app, options) => {
  const metrics = new SymphonyMetrics({ processMetrics: true });
  const settings = loadRuntimeSettings(process.env);
  const runtime = createModelRuntime(settings, {
    logger: app.log,
    onHostCall: (report) => metrics.hostCall(report),
  });
  runtime.startHealthChecks(settings.hostCheckIntervalMs);
  const limits = new EnvUsageLimits(readUsageCaps(process.env), systemClock);
  const queue = createAppQueue(app, process.env);
  const runs = new OpenRuns();
  drainOnTermination(queue, app.log, undefined, runs);
  return createSymphonyApp({ runtime, queue, limits, runs, metrics })(app, options);
};

export default symphony;
