// The Probot app as `probot run` loads it; its dependencies come from the environment.
import type { ApplicationFunction } from "probot";
import { createAppQueue, createSymphonyApp } from "./create-app.js";
import { SymphonyMetrics } from "./app/metrics.js";
import { readOpsAccess } from "./app/ops-access.js";
import { drainOnTermination, OpenRuns } from "./app/shutdown.js";
import { EnvironmentValueError } from "./app/start-up-error.js";
import { systemClock } from "./lib/clock.js";
import { EnvUsageLimits, readUsageCaps } from "./app/usage-limits.js";
import { createModelRuntime, loadRuntimeSettings } from "./runner/index.js";
import { createReplica } from "./app/cluster/cluster-queue.js";
import { stopReplicaOnTermination } from "./app/cluster/cluster-shutdown.js";
import { readClusterSettings } from "./app/cluster/redis-settings.js";
import { RedisUsageLimits } from "./app/cluster/redis-usage-limits.js";

export { createSymphonyApp, type SymphonyDeps } from "./create-app.js";

const symphony: ApplicationFunction = (app, options) => {
  const metrics = new SymphonyMetrics({ processMetrics: true });
  const ops = readOpsAccess(process.env);
  const settings = loadRuntimeSettings(process.env);
  const runtime = createModelRuntime(settings, {
    logger: app.log,
    onHostCall: (report) => metrics.hostCall(report),
  });
  runtime.startHealthChecks(settings.hostCheckIntervalMs);
  const limits = new EnvUsageLimits(readUsageCaps(process.env), systemClock);
  const runs = new OpenRuns();
  const cluster = readClusterSettings(process.env);
  if (cluster !== undefined) {
    // REDIS_URL: one of several replicas sharing a durable queue (docs/operations.md, "Scaling").
    const replica = createReplica(app, cluster);
    stopReplicaOnTermination(replica.deliveries, replica.queue, app.log, graceFrom(process.env));
    const shared = new RedisUsageLimits(
      limits.caps,
      replica.deliveries.redis,
      cluster.prefix,
      systemClock,
    );
    return createSymphonyApp({ runtime, limits: shared, runs, metrics, replica, ops })(
      app,
      options,
    );
  }
  const queue = createAppQueue(app, process.env);
  drainOnTermination(queue, app.log, graceFrom(process.env), runs);
  return createSymphonyApp({ runtime, queue, limits, runs, metrics, ops })(app, options);
};

/** SYMPHONY_SHUTDOWN_GRACE_MS, else the default 25 s (Kubernetes gives 30 s before SIGKILL). */
function graceFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.SYMPHONY_SHUTDOWN_GRACE_MS?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 600_000) {
    throw new EnvironmentValueError(
      `SYMPHONY_SHUTDOWN_GRACE_MS must be a whole number from 0 to 600000 (it is "${raw}")`,
    );
  }
  return value;
}

export default symphony;
