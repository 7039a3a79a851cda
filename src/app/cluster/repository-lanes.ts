// One lane per repository across the cluster: its deliveries in order of arrival, of which only
// the first `perRepository` are eligible to run; the rest are parked until those ahead of them
// leave. BullMQ's open-source edition has no groups, so this is how a repository's runs keep
// their order and how repositories take turns: a busy repository has at most `perRepository` jobs
// in BullMQ's wait list, so another repository's single run waits behind at most that many.
import type { Redis } from "ioredis";

// KEYS: sequence, lane, set of lanes, BullMQ's hash of the job. ARGV: job id, repository.
// Returns the job's place in its lane (0: first), or -1 when the job was stored and has left
// (a redelivery of a finished delivery: nothing to add).
const ENTER = `
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[1]), ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[2])
end
return redis.call('ZRANK', KEYS[2], ARGV[1])`;

// KEYS: lane, set of lanes. ARGV: job id, repository, how many run at once.
// Returns the jobs now eligible (the lane's first ones).
const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], ARGV[2])
  return {}
end
return redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)`;

/** What the lanes need of the queue that holds the jobs. */
export interface LaneJobs {
  /** Makes a parked job eligible; does nothing to a job that is not parked. */
  release(jobId: string): Promise<void>;
  /** BullMQ's state of the job: "active", "delayed", "completed", "failed", "unknown", … */
  state(jobId: string): Promise<string>;
}

export interface RepositoryLanesOptions {
  redis: Redis;
  prefix: string;
  /** Runs of one repository at once across the cluster (SYMPHONY_QUEUE_REPO_CONCURRENCY). */
  perRepository: number;
  /** BullMQ's key of a job's hash, to tell a finished delivery from a new one. */
  jobKey(jobId: string): string;
  jobs: LaneJobs;
}

export class RepositoryLanes {
  readonly #options: RepositoryLanesOptions;
  readonly #redis: Redis;
  /** Heads found missing at the last sweep: left out for good if still missing at the next. */
  #suspects = new Set<string>();

  constructor(options: RepositoryLanesOptions) {
    this.#options = options;
    this.#redis = options.redis;
  }

  /**
   * Puts a delivery at the end of its repository's lane; resolves "eligible" when it may run now,
   * "parked" when it must wait for those ahead, "stored before" for a delivery that has left.
   */
  async enter(repository: string, jobId: string): Promise<"eligible" | "parked" | "stored before"> {
    const place = Number(
      await this.#redis.eval(
        ENTER,
        4,
        this.#key("lanes:seq"),
        this.#lane(repository),
        this.#key("lanes"),
        this.#options.jobKey(jobId),
        jobId,
        repository,
      ),
    );
    if (place < 0) return "stored before";
    return place < this.#options.perRepository ? "eligible" : "parked";
  }

  /**
   * After a parked job was added: those ahead may have left while it was being added (their leave
   * found nothing to release), so it releases itself if it is eligible by now.
   */
  async settle(repository: string, jobId: string): Promise<void> {
    const place = await this.#redis.zrank(this.#lane(repository), jobId);
    if (place !== null && place < this.#options.perRepository) {
      await this.#options.jobs.release(jobId);
    }
  }

  /** A delivery is done (or failed for good): the next of its lane may run. */
  async leave(repository: string, jobId: string): Promise<void> {
    const heads = (await this.#redis.eval(
      LEAVE,
      2,
      this.#lane(repository),
      this.#key("lanes"),
      jobId,
      repository,
      String(this.#options.perRepository),
    )) as string[];
    await Promise.all(heads.map((head) => this.#options.jobs.release(head)));
  }

  /**
   * Repairs what a replica that died between two steps left behind: a lane whose first job is
   * finished, failed for good, or was never added (its replica died, or Redis went away, between
   * entering the lane and adding the job), and a first job still parked. One replica at a time
   * does it, once per `intervalMs`.
   */
  async sweep(intervalMs: number): Promise<void> {
    const turn = await this.#redis.set(this.#key("lanes:sweep"), "1", "PX", intervalMs, "NX");
    if (turn !== "OK") return;
    const suspects = new Set<string>();
    for (const repository of await this.#redis.smembers(this.#key("lanes"))) {
      const heads = await this.#redis.zrange(
        this.#lane(repository),
        0,
        this.#options.perRepository - 1,
      );
      // An empty lane (its last job left as this replica read the set) leaves the set.
      if (heads.length === 0) await this.leave(repository, "");
      for (const head of heads) {
        const state = await this.#options.jobs.state(head);
        if (state === "completed" || state === "failed") await this.leave(repository, head);
        else if (state === "delayed") await this.#options.jobs.release(head);
        else if (state === "unknown") {
          // Just entered and being added, or never to be added: decided at the next sweep.
          if (this.#suspects.has(head)) await this.leave(repository, head);
          else suspects.add(head);
        }
      }
    }
    this.#suspects = suspects;
  }

  #lane(repository: string): string {
    return this.#key(`lane:${repository}`);
  }

  #key(name: string): string {
    return `${this.#options.prefix}:${name}`;
  }
}
