import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FairTurns } from "../../src/app/cluster/fair-turns.js";
import {
  hasRedisServer,
  REDIS_MISSING,
  startRedis,
  type RunningRedis,
} from "../support/redis-server.js";

const present = hasRedisServer();
if (!present) console.warn(REDIS_MISSING);

describe.skipIf(!present)("fair turns across repositories (real Redis)", () => {
  let server: RunningRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it("puts a newcomer's single run ahead of all but one of a busy repository's 200", async () => {
    const turns = new FairTurns(redis, "fair-1");
    const busy: number[] = [];
    for (let i = 0; i < 200; i += 1) busy.push(await turns.take("octo/busy"));
    await turns.serve(busy[0]!);

    const newcomer = await turns.take("octo/quiet");

    expect(busy.filter((turn) => turn <= newcomer)).toHaveLength(2);
    expect(busy.filter((turn) => turn > newcomer)).toHaveLength(198);
  });

  it("keeps one repository's runs in order of arrival", async () => {
    const turns = new FairTurns(redis, "fair-2");
    const order: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      order.push(await turns.take("octo/one"));
      if (i % 7 === 0) await turns.serve(order[0]! + i);
    }

    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(50);
  });

  it("gives a repository that returns after a quiet spell the current turn, not its old one", async () => {
    const turns = new FairTurns(redis, "fair-3");
    const early = await turns.take("octo/back");
    for (let i = 0; i < 30; i += 1) await turns.serve(await turns.take("octo/other"));

    const later = await turns.take("octo/back");

    expect(later).toBe(31);
    expect(early).toBe(1);
  });
});
