// The pieces a replica needs when REDIS_URL is set: the stored-delivery queue, and an in-memory
// queue that runs this replica's share with every key held across the cluster.
import type { Probot } from "probot";
import { WorkQueue } from "../queue.js";
import { DeliveryQueue } from "./delivery-queue.js";
import { KeyLocks } from "./key-locks.js";
import { ScheduleClaims } from "./schedule-claims.js";
import type { ClusterSettings } from "./redis-settings.js";

export interface Replica {
  deliveries: DeliveryQueue;
  /** This replica's runs: as many at once as its worker takes jobs, keys held in Redis. */
  queue: WorkQueue;
  /** Scheduled work (the refactor timer) claimed by one replica. */
  claims: ScheduleClaims;
}

export function createReplica(app: Probot, settings: ClusterSettings): Replica {
  const log = app.log.child({ name: "symphony:cluster" });
  const deliveries = new DeliveryQueue(settings, log);
  const locks = new KeyLocks({
    redis: deliveries.redis,
    prefix: settings.prefix,
    lockMs: settings.lockMs,
  });
  const queue = new WorkQueue({
    concurrency: settings.concurrency,
    // Redis holds what waits; here only the runs of jobs this replica's worker took.
    maxQueued: 100_000,
    maxQueuedPerRepository: 100_000,
    onError: (error, job) => log.error({ err: error, job }, "a queued job failed"),
    exclusive: async (job, run) => {
      const outcome = await locks.run(job, run);
      if (outcome !== "ran") log.info({ job, outcome }, "run skipped: another replica covers it");
    },
  });
  return { deliveries, queue, claims: new ScheduleClaims(deliveries.redis, settings.prefix) };
}
