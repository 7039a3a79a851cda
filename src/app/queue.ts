// The in-process work queue: webhook handlers hand model work here and return, because GitHub
// abandons a delivery after 10 s while a model call takes minutes.
import { systemClock, type Clock } from "../lib/clock.js";

export interface QueueJob {
  /**
   * What the job is about, e.g. "octo/repo#12:plan". Jobs with one key never run at once; a
   * waiting one absorbs later ones, so a burst of triggers is one run.
   */
  key: string;
  /** "owner/repo": the queue takes turns between repositories. */
  repository: string;
  /** The webhook delivery id; a redelivered webhook is recognised by it and ignored. */
  deliveryId?: string;
  /**
   * When the same key is already running: queue one follow-up run (the default: the newer
   * trigger may carry newer input), or ignore the job (the running one covers it).
   */
  whileRunning?: "follow-up" | "ignore";
  /** The work. The signal aborts when shutdown's grace period ends. */
  run(signal: AbortSignal): Promise<void>;
}

export interface JobInfo {
  key: string;
  repository: string;
  deliveryId?: string;
}

/**
 * What enqueue did: `queued` (a new job), `coalesced` (merged into a waiting job with the same
 * key, whose run is replaced by the newer one), `follow-up` (queued behind the running job with
 * the same key), `ignored` (the same key is running and the job asked not to follow up),
 * `duplicate` (this delivery was queued before).
 */
export type EnqueueOutcome = "queued" | "coalesced" | "follow-up" | "ignored" | "duplicate";

export interface UnfinishedJob extends JobInfo {
  /** `waiting`: never started; `running`: still going when the grace period ended. */
  state: "waiting" | "running";
}

export interface WorkQueueOptions {
  /** Jobs running at once across all repositories (default 2). */
  concurrency?: number;
  /** Jobs waiting across all repositories (default 100). */
  maxQueued?: number;
  /** Jobs waiting for one repository (default 50: a maintainer labelling 50 issues at once). */
  maxQueuedPerRepository?: number;
  /** Receives every job's failure; the queue itself never rejects or throws for a job. */
  onError(error: unknown, job: JobInfo): void;
  clock?: Clock;
  /** How many delivery ids are remembered for spotting redeliveries (default 1000). */
  rememberedDeliveries?: number;
  /**
   * Wraps every run; with Redis, it holds the job's key across replicas (and may skip a run that
   * a newer one with the same key covers). Default: runs the job as it is.
   */
  exclusive?: (job: ExclusiveJob, run: () => Promise<void>) => Promise<void>;
}

export interface ExclusiveJob extends JobInfo {
  whileRunning: "follow-up" | "ignore";
}

export class QueueFullError extends Error {
  override name = "QueueFullError";
  constructor(
    readonly scope: "total" | "repository",
    readonly limit: number,
    readonly repository: string,
  ) {
    super(
      scope === "total"
        ? `Symphony is busy: ${limit} jobs are already waiting; try again in a few minutes.`
        : `Symphony is busy with ${repository}: ${limit} jobs are already waiting for it; ` +
            `try again once they are done.`,
    );
  }
}

export class QueueClosedError extends Error {
  override name = "QueueClosedError";
  constructor() {
    super("Symphony is shutting down and takes no new work; try again once it is back.");
  }
}

/**
 * The abort reason of runs cut short by a replica's shutdown when Redis keeps their job: another
 * replica runs them again, so they leave their status comments as they are.
 */
export class HandedBackError extends QueueClosedError {
  override name = "HandedBackError";
}

interface Running {
  job: QueueJob;
  controller: AbortController;
  done: Promise<void>;
}

export class WorkQueue {
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #maxPerRepository: number;
  readonly #onError: WorkQueueOptions["onError"];
  readonly #clock: Clock;
  readonly #rememberedDeliveries: number;
  /** Waiting jobs per repository, oldest first. */
  readonly #waiting = new Map<string, QueueJob[]>();
  /** Repositories with waiting jobs, in the order they get their next turn. */
  #turns: string[] = [];
  readonly #running = new Set<Running>();
  readonly #seenDeliveries = new Set<string>();
  #idleWaiters: (() => void)[] = [];
  /** Waiters for one delivery's work: resolved once no job of that delivery waits or runs. */
  #deliveryWaiters = new Map<string, (() => void)[]>();
  #closed = false;
  readonly #exclusive: NonNullable<WorkQueueOptions["exclusive"]>;

  constructor(options: WorkQueueOptions) {
    this.#concurrency = positive(options.concurrency ?? 2, "concurrency");
    this.#maxQueued = positive(options.maxQueued ?? 100, "maxQueued");
    this.#maxPerRepository = positive(
      options.maxQueuedPerRepository ?? 50,
      "maxQueuedPerRepository",
    );
    this.#onError = options.onError;
    this.#clock = options.clock ?? systemClock;
    this.#rememberedDeliveries = options.rememberedDeliveries ?? 1_000;
    this.#exclusive = options.exclusive ?? ((_job, run) => run());
  }

  /** Jobs waiting to start. */
  get size(): number {
    let total = 0;
    for (const jobs of this.#waiting.values()) total += jobs.length;
    return total;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running.size;
  }

  /** True once drain() began: the queue takes no new work. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Hands a job over; throws QueueFullError past a bound, QueueClosedError after drain(). */
  enqueue(job: QueueJob): EnqueueOutcome {
    if (this.#closed) throw new QueueClosedError();
    if (job.deliveryId !== undefined && this.#seenDeliveries.has(job.deliveryId))
      return "duplicate";
    const outcome = this.#place(job);
    if (outcome !== "ignored") this.#remember(job.deliveryId);
    this.#pump();
    return outcome;
  }

  /** Whether a job with this delivery id was handed over before (a redelivered webhook). */
  hasSeen(deliveryId: string | undefined): boolean {
    return deliveryId !== undefined && this.#seenDeliveries.has(deliveryId);
  }

  /**
   * Remembers a delivery whose work went elsewhere (handed to Actions runners), so that its
   * redelivery is recognised like a queued one's.
   */
  rememberDelivery(deliveryId: string): void {
    this.#remember(deliveryId);
  }

  /** Whether a job with this key is running now. */
  isRunning(key: string): boolean {
    return this.#isRunning(key);
  }

  /**
   * Resolves once no job of this delivery waits or runs (at once when it queued none, or its job
   * was absorbed by a newer one with the same key): a BullMQ job is done when its runs are.
   */
  whenDone(deliveryId: string): Promise<void> {
    if (!this.#holds(deliveryId)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#deliveryWaiters.get(deliveryId) ?? [];
      waiters.push(resolve);
      this.#deliveryWaiters.set(deliveryId, waiters);
    });
  }

  /** Resolves once nothing waits and nothing runs. */
  onIdle(): Promise<void> {
    if (this.size === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * For shutdown: takes no new work, drops what has not started, gives running jobs `graceMs`
   * to finish, then aborts them (with `reason`). Returns every job that did not finish.
   */
  async drain(graceMs: number, reason: Error = new QueueClosedError()): Promise<UnfinishedJob[]> {
    this.#closed = true;
    const dropped: UnfinishedJob[] = [];
    for (const jobs of this.#waiting.values()) {
      for (const job of jobs) dropped.push({ ...infoOf(job), state: "waiting" });
    }
    this.#waiting.clear();
    this.#turns = [];
    if (this.#running.size > 0) {
      let cancel = (): void => undefined;
      const graceOver = new Promise<void>((resolve) => {
        cancel = this.#clock.setTimeout(resolve, graceMs);
      });
      const allDone = Promise.all([...this.#running].map((entry) => entry.done));
      await Promise.race([allDone, graceOver]);
      cancel();
    }
    const stillRunning = [...this.#running];
    for (const entry of stillRunning) entry.controller.abort(reason);
    this.#settleIdle();
    return [
      ...dropped,
      ...stillRunning.map((entry) => ({ ...infoOf(entry.job), state: "running" as const })),
    ];
  }

  #place(job: QueueJob): EnqueueOutcome {
    const queue = this.#waiting.get(job.repository) ?? [];
    const twin = queue.findIndex((waiting) => waiting.key === job.key);
    if (twin >= 0) {
      queue[twin] = job;
      this.#settleDeliveries();
      return "coalesced";
    }
    const keyRunning = this.#isRunning(job.key);
    if (keyRunning && job.whileRunning === "ignore") return "ignored";
    if (this.size >= this.#maxQueued)
      throw new QueueFullError("total", this.#maxQueued, job.repository);
    if (queue.length >= this.#maxPerRepository) {
      throw new QueueFullError("repository", this.#maxPerRepository, job.repository);
    }
    queue.push(job);
    if (!this.#waiting.has(job.repository)) {
      this.#waiting.set(job.repository, queue);
      this.#turns.push(job.repository);
    }
    return keyRunning ? "follow-up" : "queued";
  }

  #pump(): void {
    while (this.#running.size < this.#concurrency) {
      const job = this.#takeNext();
      if (job === undefined) break;
      this.#start(job);
    }
    this.#settleIdle();
  }

  /** The oldest startable job of the repository whose turn it is; that repository goes last. */
  #takeNext(): QueueJob | undefined {
    for (const [turn, repository] of this.#turns.entries()) {
      const queue = this.#waiting.get(repository) ?? [];
      const index = queue.findIndex((job) => !this.#isRunning(job.key));
      if (index < 0) continue;
      const [job] = queue.splice(index, 1);
      this.#turns.splice(turn, 1);
      if (queue.length > 0) this.#turns.push(repository);
      else this.#waiting.delete(repository);
      return job;
    }
    return undefined;
  }

  #start(job: QueueJob): void {
    const controller = new AbortController();
    const entry: Running = { job, controller, done: Promise.resolve() };
    const info = { ...infoOf(job), whileRunning: job.whileRunning ?? "follow-up" };
    entry.done = Promise.resolve()
      .then(() => this.#exclusive(info, () => job.run(controller.signal)))
      .catch((error: unknown) => this.#report(error, job))
      .finally(() => {
        this.#running.delete(entry);
        if (!this.#closed) this.#pump();
        this.#settleIdle();
      });
    this.#running.add(entry);
  }

  #report(error: unknown, job: QueueJob): void {
    try {
      this.#onError(error, infoOf(job));
    } catch {
      // An error handler that fails must not take the queue (or the process) down with it.
    }
  }

  #isRunning(key: string): boolean {
    for (const entry of this.#running) if (entry.job.key === key) return true;
    return false;
  }

  #remember(deliveryId: string | undefined): void {
    if (deliveryId === undefined) return;
    this.#seenDeliveries.add(deliveryId);
    if (this.#seenDeliveries.size > this.#rememberedDeliveries) {
      const oldest = this.#seenDeliveries.values().next().value;
      if (oldest !== undefined) this.#seenDeliveries.delete(oldest);
    }
  }

  #holds(deliveryId: string): boolean {
    for (const jobs of this.#waiting.values()) {
      if (jobs.some((job) => job.deliveryId === deliveryId)) return true;
    }
    for (const entry of this.#running) if (entry.job.deliveryId === deliveryId) return true;
    return false;
  }

  #settleDeliveries(): void {
    for (const [deliveryId, waiters] of this.#deliveryWaiters) {
      if (this.#holds(deliveryId)) continue;
      this.#deliveryWaiters.delete(deliveryId);
      for (const resolve of waiters) resolve();
    }
  }

  #settleIdle(): void {
    this.#settleDeliveries();
    if (this.size > 0 || this.#running.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function infoOf(job: QueueJob): JobInfo {
  return {
    key: job.key,
    repository: job.repository,
    ...(job.deliveryId === undefined ? {} : { deliveryId: job.deliveryId }),
  };
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
