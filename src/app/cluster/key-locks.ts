// One run per key across every replica (the in-memory queue does it within one process): a run
// holds `<prefix>:key:<key>` in Redis while it runs, renewed, so a killed replica's hold expires.
// Coalescing works as in memory: a trigger that finds its key busy marks itself the newest and
// waits; when the key frees, only the newest waiter runs ("a push during a review runs once more
// after it"), the ones it covers end at once.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { ExclusiveJob } from "../queue.js";

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

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
    this.#pollMs = options.pollMs ?? Math.max(50, Math.round(options.lockMs / 10));
  }

  /** Runs `run` holding the job's key; see the file's opening comment for the outcomes. */
  async run(job: ExclusiveJob, run: () => Promise<void>): Promise<ExclusiveOutcome> {
    const lock = `${this.#prefix}:key:${job.key}`;
    const newest = `${this.#prefix}:key-newest:${job.key}`;
    const token = randomUUID();
    const mine = job.deliveryId ?? token;
    if (!(await this.#acquire(lock, token))) {
      if (job.whileRunning === "ignore") return "ignored";
      await this.#redis.set(newest, mine, "PX", 24 * 60 * 60 * 1000);
      while (!(await this.#acquire(lock, token))) await pause(this.#pollMs);
      if ((await this.#redis.get(newest)) !== mine) {
        await this.#release(lock, token);
        return "covered";
      }
    }
    const renewal = setInterval(
      () => {
        this.#redis
          .eval(RENEW, 1, lock, token, String(this.#lockMs))
          .catch(() => undefined /* Redis away: the hold lapses, the run goes on */);
      },
      Math.max(10, Math.floor(this.#lockMs / 3)),
    );
    renewal.unref();
    try {
      await run();
      return "ran";
    } finally {
      clearInterval(renewal);
      await this.#release(lock, token).catch(() => undefined);
    }
  }

  async #acquire(lock: string, token: string): Promise<boolean> {
    return (await this.#redis.set(lock, token, "PX", this.#lockMs, "NX")) === "OK";
  }

  async #release(lock: string, token: string): Promise<void> {
    await this.#redis.eval(RELEASE, 1, lock, token);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
