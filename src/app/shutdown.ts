// On SIGTERM (a deploy, a container stop): no new work, running jobs get a grace period, and every
// run that could not finish says so in its status comment instead of spinning forever.
import type { Logger } from "probot";
import type { StatusComment } from "../github/status-comment.js";
import type { UnfinishedJob, WorkQueue } from "./queue.js";

export const SHUTDOWN_GRACE_MS = 25_000;

export const RESTARTED_BEFORE_DONE =
  "⏹️ Symphony was restarted before this finished: run the command again.";

interface OpenRun {
  key: string;
  /** Posted in the background while the webhook is answered (started on first call). */
  status: () => Promise<StatusComment>;
  started: boolean;
}

/**
 * The status comments of runs handed to the queue and not yet finished, by delivery id (the
 * queue reports unfinished jobs by it).
 */
export class OpenRuns {
  readonly #runs = new Map<string, OpenRun>();

  /** A run is about to be queued with this status comment. */
  queued(deliveryId: string, key: string, status: () => Promise<StatusComment>): void {
    this.#runs.set(deliveryId, { key, status, started: false });
  }

  /** The run took the place of a waiting one with the same key, which will never start. */
  coalesced(deliveryId: string, key: string): void {
    for (const [id, run] of this.#runs) {
      if (id !== deliveryId && run.key === key && !run.started) this.#runs.delete(id);
    }
  }

  started(deliveryId: string): void {
    const run = this.#runs.get(deliveryId);
    if (run !== undefined) run.started = true;
  }

  /** Finished, or never queued after all (ignored, a duplicate, refused). */
  finished(deliveryId: string): void {
    this.#runs.delete(deliveryId);
  }

  get size(): number {
    return this.#runs.size;
  }

  /** The status comments of these jobs; a follow-up on a running job's comment counted once. */
  async statusesOf(unfinished: readonly UnfinishedJob[]): Promise<StatusComment[]> {
    const pending: Promise<StatusComment>[] = [];
    for (const job of unfinished) {
      const run = job.deliveryId === undefined ? undefined : this.#runs.get(job.deliveryId);
      if (run !== undefined) pending.push(run.status());
    }
    const statuses = new Map<number, StatusComment>();
    for (const result of await Promise.allSettled(pending)) {
      if (result.status === "fulfilled") statuses.set(result.value.commentId, result.value);
    }
    return [...statuses.values()];
  }
}

/** Writes the restart notice into each comment; resolves to how many were written. */
async function markUnfinished(statuses: readonly StatusComment[], log: Logger): Promise<number> {
  const results = await Promise.allSettled(
    statuses.map((status) => status.flush(RESTARTED_BEFORE_DONE)),
  );
  for (const result of results) {
    if (result.status === "rejected") {
      log.warn({ err: result.reason }, "could not mark an unfinished run's status comment");
    }
  }
  return results.filter((result) => result.status === "fulfilled").length;
}

export interface ShutdownOptions {
  queue: WorkQueue;
  runs: OpenRuns;
  log: Logger;
  graceMs?: number;
  /** After the grace period, how long aborted jobs get to write their own last words (2 s). */
  settleMs?: number;
}

/** Drains the queue and marks what did not finish. Resolves when it is safe to exit. */
export async function shutDown(options: ShutdownOptions): Promise<UnfinishedJob[]> {
  const { queue, runs, log } = options;
  const graceMs = options.graceMs ?? SHUTDOWN_GRACE_MS;
  log.info(
    { waiting: queue.size, running: queue.running, graceMs },
    "shutting down: finishing running jobs, taking no new ones",
  );
  const unfinished = await queue.drain(graceMs);
  // Taken now: an aborted job leaves the registry as it settles.
  const statuses = runs.statusesOf(unfinished);
  void statuses.catch(() => undefined);
  if (unfinished.some((job) => job.state === "running")) {
    // Aborted jobs report their abort into the same comments; the restart notice goes last.
    await settled(queue.onIdle(), options.settleMs ?? 2_000);
  }
  if (unfinished.length > 0) {
    const marked = await markUnfinished(await statuses, log);
    log.warn(
      { unfinished, marked },
      `${unfinished.length} jobs did not finish before shutdown; their status comments say so`,
    );
  } else {
    log.info("shutdown: every running job finished");
  }
  return unfinished;
}

function settled(done: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void done.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

let registered = false;

/** Registers once per process; later calls (tests loading the app twice) do nothing. */
export function drainOnTermination(
  queue: WorkQueue,
  log: Logger,
  graceMs = SHUTDOWN_GRACE_MS,
  runs: OpenRuns = new OpenRuns(),
): void {
  if (registered) return;
  registered = true;
  process.once("SIGTERM", () => {
    void shutDown({ queue, runs, log, graceMs })
      .catch((error: unknown) => log.error({ err: error }, "shutdown failed"))
      .finally(() => process.exit(0));
  });
}
