// On SIGTERM (a deploy, a container stop) running jobs get a grace period before the process exits.
import type { Logger } from "probot";
import type { WorkQueue } from "./queue.js";

export const SHUTDOWN_GRACE_MS = 25_000;

let registered = false;

/** Registers once per process; later calls (tests loading the app twice) do nothing. */
export function drainOnTermination(
  queue: WorkQueue,
  log: Logger,
  graceMs = SHUTDOWN_GRACE_MS,
): void {
  if (registered) return;
  registered = true;
  process.once("SIGTERM", () => {
    log.info({ waiting: queue.size, running: queue.running }, "SIGTERM: finishing running jobs");
    void queue.drain(graceMs).then((unfinished) => {
      if (unfinished.length > 0) {
        log.warn({ unfinished }, `${unfinished.length} jobs did not finish before shutdown`);
      }
      process.exit(0);
    });
  });
}
