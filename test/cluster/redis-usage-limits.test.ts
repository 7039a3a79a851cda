// Usage caps shared by every replica: counted in one Redis, refused with the same sentence.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { RedisUsageLimits } from "../../src/app/cluster/redis-usage-limits.js";
import { describeWithRedis, givenRedis, type GivenRedis } from "./given-cluster.js";

describeWithRedis("usage caps in Redis (real Redis)", () => {
  let redis: GivenRedis;
  beforeAll(async () => {
    redis = await givenRedis();
  });
  afterAll(() => redis.stop());

  it("counts runs from two replicas against one hourly cap and says when to come back", async () => {
    const clock = new ManualClock(Date.parse("2026-12-04T14:00:00Z"));
    const one = new RedisUsageLimits({ runsPerRepositoryHour: 2 }, redis.client, "caps-1", clock);
    const two = new RedisUsageLimits({ runsPerRepositoryHour: 2 }, redis.client, "caps-1", clock);
    const request = { repository: "octo/a", user: "mona" };

    expect(await one.admit(request)).toEqual({ ok: true });
    clock.advance(5 * 60_000);
    expect(await two.admit(request)).toEqual({ ok: true });
    const refused = await one.admit(request);

    expect(refused).toMatchObject({
      ok: false,
      cap: "runsPerRepositoryHour",
      reason:
        "This repository has used its 2 runs for this hour. Symphony can run here again after 15:00 UTC (in 55 minutes).",
    });
    clock.advance(55 * 60_000 + 1);
    expect(await two.admit(request)).toEqual({ ok: true });
  });

  it("refuses a repository past its daily tokens, whichever replica recorded them", async () => {
    const clock = new ManualClock(Date.parse("2026-12-04T14:00:00Z"));
    const caps = { tokensPerRepositoryDay: 1_000 };
    const one = new RedisUsageLimits(caps, redis.client, "caps-2", clock);
    const two = new RedisUsageLimits(caps, redis.client, "caps-2", clock);
    one.recordTokens("octo/a", 600);
    two.recordTokens("octo/a", 500);
    await redis.client.ping();

    expect(await two.admit({ repository: "octo/a", user: "mona" })).toMatchObject({
      ok: false,
      cap: "tokensPerRepositoryDay",
    });
    expect(await one.admit({ repository: "octo/b", user: "mona" })).toEqual({ ok: true });
  });
});
