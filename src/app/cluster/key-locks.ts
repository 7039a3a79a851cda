// One run per key across every replica (the in-memory queue does it within one process): a run
// holds `<prefix>:key:<key>` in Redis while it runs, renewed, so a killed replica's hold expires.
// Coalescing works as in memory: a trigger that finds its key busy marks itself the newest and
// waits; when the key frees, only the newest waiter runs ("a push during a review runs once more
// after it"), the ones it covers end at once.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { ExclusiveJob } from "../queue.js";
import { pause, pollEvery, RedisHold } from "./redis-hold.js";

export interface KeyLocksOptions {
  redis: Redis;
  prefix: string;
  /** How long a hold lasts without renewal; renewed every third of it. */
  lockMs: number;
  /** How often a waiter looks again (default a tenth of lockMs, at least 50 ms). */
  pollMs?: number;
}

export type ExclusiveOutcome = "ran" | "covered" | "ignored";

export class KeyLocks {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #lockMs: number;
  readonly #pollMs: number;

  constructor(options: KeyLocksOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#lockMs = options.lockMs;
    this.#pollMs = options.pollMs ?? pollEvery(options.lockMs);
  }

  /** Runs `run` holding the job's key; see the file's opening comment for the outcomes. */
  async run(job: ExclusiveJob, run: () => Promise<void>): Promise<ExclusiveOutcome> {
    const hold = new RedisHold(this.#redis, `${this.#prefix}:key:${job.key}`, this.#lockMs);
    const newest = `${this.#prefix}:key-newest:${job.key}`;
    const mine = job.deliveryId ?? randomUUID();
    if (!(await hold.take())) {
      if (job.whileRunning === "ignore") return "ignored";
      await this.#redis.set(newest, mine, "PX", 24 * 60 * 60 * 1000);
      while (!(await hold.take())) await pause(this.#pollMs);
      if ((await this.#redis.get(newest)) !== mine) {
        await hold.release();
        return "covered";
      }
    }
    await hold.whileHeld(run);
    return "ran";
  }
}
