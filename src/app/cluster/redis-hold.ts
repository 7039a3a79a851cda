// A hold on one Redis key that only its taker can renew or release, renewed on a timer while work
// runs, so a killed replica's hold lapses by itself. Shared by the per-issue key locks and the
// per-delivery run guard.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export class RedisHold {
  readonly #token = randomUUID();

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly lockMs: number,
  ) {}

  /** Takes the key if nobody holds it; true when this hold has it now. */
  async take(): Promise<boolean> {
    return (await this.redis.set(this.key, this.#token, "PX", this.lockMs, "NX")) === "OK";
  }

  /** Lets the key go, if this hold still has it. */
  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.#token);
  }

  /** Runs `work` with the hold renewed every third of its life, then releases it. */
  async whileHeld<T>(work: () => Promise<T>): Promise<T> {
    const renewal = setInterval(
      () => {
        this.redis
          .eval(RENEW, 1, this.key, this.#token, String(this.lockMs))
          .catch(() => undefined /* Redis away: the hold lapses, the run goes on */);
      },
      Math.max(10, Math.floor(this.lockMs / 3)),
    );
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.release().catch(() => undefined);
    }
  }
}

/** How often a waiter looks at a held key again: a tenth of its life, at least 50 ms. */
export function pollEvery(lockMs: number): number {
  return Math.max(50, Math.round(lockMs / 10));
}

export function pause(ms: number): Promise<"paused"> {
  return new Promise((resolve) => setTimeout(() => resolve("paused"), ms).unref());
}
