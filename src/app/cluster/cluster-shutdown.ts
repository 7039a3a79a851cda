// SIGTERM with Redis: this replica stops taking jobs, running ones get the grace period, and what
// is still running then is aborted and handed back to Redis for a replica that stays (no restart
// notice: the run is not lost, and its status comment is updated by whoever finishes it).
import type { Logger } from "probot";
import { HandedBackError, type WorkQueue } from "../queue.js";
import { SHUTDOWN_GRACE_MS } from "../shutdown.js";
import type { DeliveryQueue } from "./delivery-queue.js";

export async function stopReplica(
  deliveries: DeliveryQueue,
  queue: WorkQueue,
  log: Logger,
  graceMs = SHUTDOWN_GRACE_MS,
): Promise<void> {
  log.info(
    { running: queue.running, graceMs },
    "shutting down: finishing running jobs; the rest stay in Redis for the other replicas",
  );
  await deliveries.stop(graceMs, async () => {
    const unfinished = await queue.drain(0, new HandedBackError());
    log.warn({ unfinished }, "grace period over: unfinished jobs go back to Redis");
  });
  log.info("shutdown: this replica's work is finished or back in Redis");
}

let registered = false;

/** Registers once per process, like drainOnTermination. */
export function stopReplicaOnTermination(
  deliveries: DeliveryQueue,
  queue: WorkQueue,
  log: Logger,
  graceMs = SHUTDOWN_GRACE_MS,
): void {
  if (registered) return;
  registered = true;
  process.once("SIGTERM", () => {
    void stopReplica(deliveries, queue, log, graceMs)
      .catch((error: unknown) => log.error({ err: error }, "shutdown failed"))
      .finally(() => process.exit(0));
  });
}
