// The operator's usage caps counted in Redis, so N replicas admit as one: each window is a sorted
// set of entries scored by time, and one Lua script prunes, checks every cap and counts the run,
// atomically across replicas.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import {
  capRules,
  describeTime,
  type Admission,
  type UsageCaps,
  type UsageLimits,
  type UsageRequest,
} from "../usage-limits.js";

// KEYS: one window per cap. ARGV: now, member id, then per key: span, limit, counts-the-run.
// Returns 0 when admitted, else {index of the refusing cap (1-based), ms when it frees}.
const ADMIT = `
local now = tonumber(ARGV[1])
local function total(key)
  local sum = 0
  for _, member in ipairs(redis.call('ZRANGE', KEYS[key], 0, -1)) do
    sum = sum + tonumber(string.match(member, ':(%d+)$'))
  end
  return sum
end
for i = 1, #KEYS do
  local span = tonumber(ARGV[3 * i])
  local limit = tonumber(ARGV[3 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - span)
  local sum = total(i)
  if sum >= limit then
    local entries = redis.call('ZRANGE', KEYS[i], 0, -1, 'WITHSCORES')
    for j = 1, #entries, 2 do
      sum = sum - tonumber(string.match(entries[j], ':(%d+)$'))
      if sum < limit then return {i, tonumber(entries[j + 1]) + span} end
    end
    return {i, now + span}
  end
end
for i = 1, #KEYS do
  if ARGV[3 * i + 2] == '1' then
    redis.call('ZADD', KEYS[i], now, ARGV[2] .. ':1')
    redis.call('PEXPIRE', KEYS[i], ARGV[3 * i])
  end
end
return 0`;

export class RedisUsageLimits implements UsageLimits {
  readonly caps: Readonly<UsageCaps>;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(caps: UsageCaps, redis: Redis, prefix: string, clock: { now(): number }) {
    this.caps = caps;
    this.#redis = redis;
    this.#prefix = prefix;
    this.#now = () => clock.now();
  }

  async admit(request: UsageRequest): Promise<Admission> {
    const rules = capRules(this.caps, request);
    if (rules.length === 0) return { ok: true };
    const now = this.#now();
    const args = rules.flatMap((rule) => [
      String(rule.spanMs),
      String(rule.limit),
      rule.cap === "tokensPerRepositoryDay" ? "0" : "1",
    ]);
    const result = (await this.#redis.eval(
      ADMIT,
      rules.length,
      ...rules.map((rule) => this.#key(rule.cap, rule.subject)),
      String(now),
      `${now}:${randomUUID()}`,
      ...args,
    )) as 0 | [number, number];
    if (result === 0) return { ok: true };
    const rule = rules[result[0] - 1]!;
    const retryAt = new Date(result[1]);
    return {
      ok: false,
      retryAt,
      cap: rule.cap,
      reason: `${rule.refusal(rule.limit)} Symphony can run here again after ${describeTime(retryAt, now)}.`,
    };
  }

  recordTokens(repository: string, tokens: number): void {
    if (this.caps.tokensPerRepositoryDay === undefined || tokens <= 0) return;
    const key = this.#key("tokensPerRepositoryDay", repository);
    const now = this.#now();
    this.#redis
      .multi()
      .zadd(key, now, `${now}:${randomUUID()}:${Math.round(tokens)}`)
      .pexpire(key, 24 * 60 * 60 * 1000)
      .exec()
      .catch(() => undefined /* Redis away: this run's tokens go uncounted, the run is done */);
  }

  #key(cap: keyof UsageCaps, subject: string): string {
    return `${this.#prefix}:caps:${cap}:${subject}`;
  }
}
