// Work that every replica's timer finds due at once, done by one of them: the first replica to
// claim a key (SET NX with an expiry) does the work; the others see it claimed and leave it.
import type { Redis } from "ioredis";

export class ScheduleClaims {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** True for the one replica that claims `key` first; the claim lapses after `ttlMs`. */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    const taken = await this.#redis.set(
      `${this.#prefix}:claim:${key}`,
      "1",
      "PX",
      Math.max(1, Math.round(ttlMs)),
      "NX",
    );
    return taken === "OK";
  }
}
