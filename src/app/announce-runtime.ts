// Start-up log of where models run, and (later, never blocking start-up) whether the host answered.
import type { Logger } from "probot";
import type { AppRuntime } from "./services.js";

/** Logs the plan at once; the health check's verdict follows when it arrives. */
export function announceRuntime(log: Logger, runtime: AppRuntime): Promise<void> {
  const target = runtime.describe();
  log.info({ models: target }, `Symphony will use ${target}`);
  return runtime.health().then(
    (health) => {
      if (!health.reachable) {
        log.warn({ models: target }, health.problem ?? `the model host did not answer (${target})`);
      } else if (health.modelPresent === false) {
        log.warn({ models: target }, health.problem ?? `the model is not on the host (${target})`);
      } else {
        const version = health.version === undefined ? "" : ` (version ${health.version})`;
        log.info({ models: target }, `the model host answered${version} and has the model`);
      }
    },
    (error: unknown) => {
      log.warn({ err: error, models: target }, "could not check the model host");
    },
  );
}
