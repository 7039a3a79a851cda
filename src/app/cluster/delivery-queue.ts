// The durable queue behind several replicas: every webhook delivery Symphony listens to becomes a
// BullMQ job whose id is the delivery id (a redelivery, or the same delivery at a second replica,
// adds nothing), stored before any GitHub read; every replica works the queue. A replica killed
// mid-run stops renewing its hold and another takes the job up again (BullMQ's stalled check).
// Each job waits in its repository's lane (repository-lanes.ts): parked as a far-off delayed job
// until those ahead of it in the same repository have left.
import { Job, Queue, WaitingError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "probot";
import { pause, pollEvery, RedisHold } from "./redis-hold.js";
import type { ClusterSettings } from "./redis-settings.js";
import { RepositoryLanes } from "./repository-lanes.js";

/** A webhook delivery as GitHub sent it, which is all a worker needs to handle it anywhere. */
export interface StoredDelivery {
  id: string;
  name: string;
  payload: unknown;
  /** "owner/repo": the lane it waits in (absent in jobs stored before lanes: no lane). */
  repository?: string;
}

/** The jobs in Redis by state, across every replica. */
export type JobCounts = Record<
  "waiting" | "prioritized" | "active" | "delayed" | "completed" | "failed",
  number
>;

export interface DeliveryQueueEvents {
  /** A job this replica found stalled (its replica gone) and put back. */
  stalled?(jobId: string): void;
  /** A job started again after a stall. */
  retried?(jobId: string): void;
}

export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
  /** @octokit/webhooks' middleware answers with the error's `status`: GitHub shows it failed. */
  readonly status = 503;
  constructor(cause: unknown) {
    super(
      `Symphony could not store this delivery in Redis (${
        cause instanceof Error ? cause.message : String(cause)
      }); redeliver it from the App's settings once Redis is back.`,
      { cause },
    );
  }
}

const KEEP_FOR_S = 24 * 60 * 60;

/** After the grace period, how long the worker gets to hand jobs back before it is let go. */
const SETTLE_MS = 3_000;
/**
 * How long a delivery may take to be stored before it is refused (Redis away, or not connected
 * yet): the connection is waited for within it, so a replica that has just started, or whose
 * connection is being re-made, does not refuse what it could store a moment later. GitHub gives
 * up on a delivery after 10 s.
 */
const STORE_TIMEOUT_MS = 5_000;
/** A parked job's delay: never reached; its lane releases it (promotes it) well before. */
const PARKED_MS = 365 * 24 * 60 * 60 * 1000;
/**
 * Tries per delivery: a worker that fails outside the feature code (the installation token
 * refused, Redis away for a moment) hands the job back to be tried again, 1 s, 2 s, 4 s, 8 s
 * later. Feature failures never get here: they end in the status comment.
 */
const ATTEMPTS = 5;

export class DeliveryQueue {
  readonly settings: ClusterSettings;
  /** Commands that must fail fast when Redis is away (storing a delivery, reading counts). */
  readonly redis: Redis;
  readonly #queue: Queue;
  readonly #lanes: RepositoryLanes;
  readonly #log: Logger;
  #sweeper: NodeJS.Timeout | undefined;
  /** Shared by every delivery that arrives while the connection is being made. */
  #ready: Promise<void> | undefined;
  #worker: Worker | undefined;
  #workerConnection: Redis | undefined;
  #abandoned = false;

  constructor(settings: ClusterSettings, log: Logger) {
    this.settings = settings;
    this.#log = log;
    this.redis = new Redis(settings.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on("error", (error) => log.warn({ err: error }, "Redis connection problem"));
    this.#queue = new Queue("deliveries", { connection: this.redis, prefix: settings.prefix });
    this.#queue.on("error", () => undefined /* logged by the connection's listener */);
    this.#lanes = new RepositoryLanes({
      redis: this.redis,
      prefix: settings.prefix,
      perRepository: settings.repoConcurrency,
      jobKey: (jobId) => this.#queue.toKey(jobId),
      jobs: {
        release: (jobId) => this.#release(jobId),
        state: (jobId) => this.#queue.getJobState(jobId),
      },
    });
  }

  /**
   * Stores a delivery for some replica to handle, at the end of its repository's lane; resolves
   * once Redis holds it. Throws RedisUnavailableError (a 503) when Redis does not answer.
   */
  async store(delivery: StoredDelivery, repository: string): Promise<void> {
    const refused = { now: false };
    try {
      await withTimeout(this.#store({ ...delivery, repository }, refused), STORE_TIMEOUT_MS);
    } catch (error) {
      refused.now = true;
      throw new RedisUnavailableError(error);
    }
  }

  async #store(
    delivery: StoredDelivery & { repository: string },
    refused: { now: boolean },
  ): Promise<void> {
    await this.#connected();
    // Answered 503 while waiting for the connection: GitHub shows it failed, so it is not stored.
    if (refused.now) return;
    const jobId = jobIdOf(delivery.id);
    const place = await this.#lanes.enter(delivery.repository, jobId);
    if (place === "stored before") return;
    await this.#queue.add(delivery.name, delivery, {
      jobId,
      ...(place === "parked" ? { delay: PARKED_MS } : {}),
      attempts: ATTEMPTS,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: { age: KEEP_FOR_S },
      removeOnFail: { age: KEEP_FOR_S },
    });
    if (place === "parked") await this.#lanes.settle(delivery.repository, jobId);
  }

  /** Resolves once the command connection is up (at start-up, or while it is being re-made). */
  #connected(): Promise<void> {
    if (this.redis.status === "ready") return Promise.resolve();
    this.#ready ??= new Promise((resolve) => {
      this.redis.once("ready", () => {
        this.#ready = undefined;
        resolve();
      });
    });
    return this.#ready;
  }

  /** Promotes a parked job; one promoted already, in its retry back-off, or gone is left alone. */
  async #release(jobId: string): Promise<void> {
    const job = await Job.fromId(this.#queue, jobId);
    if (job === undefined || job.delay < PARKED_MS) return;
    await job.promote().catch(() => undefined /* promoted by another replica meanwhile */);
  }

  /**
   * Starts this replica's worker: `handle` does one delivery's whole work and resolves when its
   * runs are done. A job cut short by shutdown goes back to the queue for another replica.
   */
  work(
    handle: (delivery: StoredDelivery) => Promise<void>,
    events: DeliveryQueueEvents = {},
  ): void {
    const connection = new Redis(this.settings.url, { maxRetriesPerRequest: null });
    connection.on("error", () => undefined /* the command connection logs Redis problems */);
    this.#workerConnection = connection;
    this.#worker = new Worker<StoredDelivery>(
      "deliveries",
      async (job: Job<StoredDelivery>, token?: string) => {
        const jobId = job.id ?? jobIdOf(job.data.id);
        if (job.attemptsStarted > 1 || job.stalledCounter > 0) events.retried?.(jobId);
        const outcome = await this.#runOnce(jobId, () => handle(job.data));
        if (outcome === "ran" && this.#abandoned) {
          // Shutdown's grace ran out: Redis keeps the job for a replica that stays.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        // Done here or by another copy: the next delivery of the repository may run.
        if (job.data.repository !== undefined) await this.#lanes.leave(job.data.repository, jobId);
      },
      {
        connection,
        prefix: this.settings.prefix,
        concurrency: this.settings.concurrency,
        lockDuration: this.settings.lockMs,
        // A killed replica's job is found once its lock lapsed and a check has seen it stalled
        // since: checking twice per lock's life takes it up within 1.5 locks, not 2.
        stalledInterval: Math.max(100, Math.round(this.settings.lockMs / 2)),
        maxStalledCount: 3,
      },
    );
    this.#worker.on("error", (error) => this.#log.warn({ err: error }, "queue worker problem"));
    this.#worker.on("stalled", (jobId) => {
      this.#log.warn({ jobId }, "a replica stopped mid-run; its job is taken up again");
      events.stalled?.(jobId);
    });
    this.#worker.on("failed", (job, error) => {
      if (job === undefined || job.id === undefined) return;
      if (job.attemptsMade < (job.opts.attempts ?? 1) && !/stalled more/.test(error.message)) {
        this.#log.warn({ err: error, jobId: job.id }, "a stored delivery failed; tried again soon");
        return;
      }
      this.#log.error({ err: error, jobId: job.id }, "a stored delivery failed for good");
      const { repository } = job.data;
      if (repository !== undefined) {
        this.#lanes.leave(repository, job.id).catch(() => undefined /* the sweep frees it */);
      }
    });
    // A lane whose replica died between two steps is repaired by whichever replica sweeps first.
    this.#sweeper = setInterval(() => {
      this.#lanes
        .sweep(this.settings.lockMs)
        .catch((error: unknown) => this.#log.warn({ err: error }, "could not sweep the lanes"));
    }, this.settings.lockMs);
    this.#sweeper.unref();
  }

  /**
   * Runs a delivery's work at most once at a time across the cluster, and not again once done.
   * BullMQ's stalled check also re-takes the job of a replica that is only slow (its job lock
   * lapsed while it still runs): without this, both copies would post the status comment, the plan
   * and the review. The first run holds `<prefix>:delivery-run:<job>`, renewed on its own timer; a
   * second copy waits while it is held, then ends if the first marked the job done, or runs if the
   * first died (its hold lapsed without the mark). Resolves "done" when another copy did the work.
   */
  async #runOnce(jobId: string, work: () => Promise<void>): Promise<"ran" | "done"> {
    const hold = new RedisHold(
      this.redis,
      `${this.settings.prefix}:delivery-run:${jobId}`,
      this.settings.lockMs,
    );
    const done = `${this.settings.prefix}:delivery-done:${jobId}`;
    for (;;) {
      if ((await this.redis.exists(done)) === 1) return "done";
      if (await hold.take()) break;
      await pause(pollEvery(this.settings.lockMs));
    }
    if ((await this.redis.exists(done)) === 1) {
      await hold.release().catch(() => undefined);
      return "done";
    }
    return hold.whileHeld(async () => {
      await work();
      await this.#markDone(done);
      return "ran" as const;
    });
  }

  /**
   * Marks the delivery's work done. Redis may have gone away while the work ran (the work does
   * not need it): the mark waits for it to come back, for without the mark the job, stalled
   * meanwhile, would be taken up and run a second time.
   */
  async #markDone(done: string): Promise<void> {
    while (!this.#abandoned) {
      try {
        await this.redis.set(done, "1", "EX", KEEP_FOR_S);
        return;
      } catch {
        await Promise.race([this.#connected(), pause(pollEvery(this.settings.lockMs))]);
      }
    }
  }

  /** The jobs in Redis by state, for /metrics. */
  async counts(): Promise<JobCounts> {
    const counts = await this.#queue.getJobCounts(
      "waiting",
      "prioritized",
      "active",
      "delayed",
      "completed",
      "failed",
    );
    return {
      waiting: counts.waiting ?? 0,
      prioritized: counts.prioritized ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Whether Redis answers now, for /readyz. */
  async ping(): Promise<{ ok: boolean; problem?: string }> {
    try {
      // As a delivery does: a connection being made is waited for, within the probe's second.
      await withTimeout(
        this.#connected().then(() => this.redis.ping()),
        1_000,
      );
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Stops taking jobs and waits up to `graceMs` for running ones; then `abandon` (which aborts the
   * runs) and the unfinished jobs go back to Redis. Resolves when the replica may exit.
   */
  async stop(graceMs: number, abandon: () => Promise<void>): Promise<void> {
    clearInterval(this.#sweeper);
    const worker = this.#worker;
    if (worker !== undefined) {
      const closed = worker.close();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<"grace over">((resolve) => {
        timer = setTimeout(() => resolve("grace over"), graceMs);
      });
      if ((await Promise.race([closed, graceOver])) === "grace over") {
        this.#abandoned = true;
        await abandon();
        // Redis away: the worker cannot hand its jobs back; their holds lapse and another
        // replica takes them up once Redis is back.
        await Promise.race([closed, pause(SETTLE_MS)]);
        await Promise.race([worker.close(true), pause(SETTLE_MS)]);
      }
      clearTimeout(timer);
    }
    await Promise.race([this.#queue.close().catch(() => undefined), pause(SETTLE_MS)]);
    this.#workerConnection?.disconnect();
    this.redis.disconnect();
  }
}

/** BullMQ reserves ":" in job ids; GitHub's delivery ids are UUIDs, test ids may be anything. */
function jobIdOf(deliveryId: string): string {
  return `delivery-${deliveryId.replaceAll(":", "_")}`;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
