// Fairness across repositories on BullMQ's open-source edition, which has no groups: every job
// gets a priority by start-time fair queueing. A repository's next job is tagged one turn after
// the later of its own last tag and the turn being served now, so a repository with 200 waiting
// runs holds tags 1…200 while a newcomer's single run gets the current turn + 1, ahead of all but
// one of them; within a repository the tags rise, so its runs start in order of arrival.
import type { Redis } from "ioredis";

/** BullMQ's largest priority (2^21); past it tags stay there, in arrival order. */
export const MAX_TURN = 2_097_152;

const TAKE_TURN = `
local now = tonumber(redis.call('GET', KEYS[1]) or '0')
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local turn = math.min(math.max(last, now) + 1, tonumber(ARGV[2]))
redis.call('HSET', KEYS[2], ARGV[1], turn)
return turn`;

const SERVE_TURN = `
local now = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > now then redis.call('SET', KEYS[1], ARGV[1]) end
return 0`;

export class FairTurns {
  readonly #redis: Redis;
  readonly #now: string;
  readonly #last: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#now = `${prefix}:turns:now`;
    this.#last = `${prefix}:turns:last`;
  }

  /** The priority for a new job of this repository (1 is served first). */
  async take(repository: string): Promise<number> {
    const turn = await this.#redis.eval(
      TAKE_TURN,
      2,
      this.#now,
      this.#last,
      repository,
      String(MAX_TURN),
    );
    return Number(turn);
  }

  /** A job with this priority started: the turn being served moves on to it. */
  async serve(turn: number): Promise<void> {
    await this.#redis.eval(SERVE_TURN, 1, this.#now, String(turn));
  }
}
