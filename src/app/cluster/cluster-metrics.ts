// /metrics with Redis: the queue's depth per state across the cluster (read from Redis at scrape
// time), and this replica's count of stalled jobs it put back and of jobs it took up again.
import { Counter, Gauge } from "prom-client";
import type { SymphonyMetrics } from "../metrics.js";
import type { DeliveryQueue, DeliveryQueueEvents } from "./delivery-queue.js";

export function watchCluster(
  metrics: SymphonyMetrics,
  deliveries: DeliveryQueue,
): DeliveryQueueEvents {
  const registers = [metrics.registry];
  new Gauge({
    name: "symphony_cluster_jobs",
    help: "Stored deliveries in Redis by state (waiting, prioritized, active, delayed, completed, failed), across every replica.",
    labelNames: ["state"],
    registers,
    async collect() {
      try {
        for (const [state, count] of Object.entries(await deliveries.counts())) {
          this.set({ state }, count);
        }
      } catch {
        // Redis away: /readyz says so; the gauge keeps its last reading.
      }
    },
  });
  const stalled = new Counter({
    name: "symphony_cluster_stalled_jobs_total",
    help: "Jobs this replica found stalled (their replica stopped mid-run) and put back.",
    registers,
  });
  const retried = new Counter({
    name: "symphony_cluster_job_retries_total",
    help: "Jobs this replica took up again after a stall or a shutdown.",
    registers,
  });
  return { stalled: () => stalled.inc(), retried: () => retried.inc() };
}
