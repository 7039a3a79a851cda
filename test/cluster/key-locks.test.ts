// One run per key across replicas, held in a real Redis.
import { afterAll, beforeAll, expect, it } from "vitest";
import { KeyLocks } from "../../src/app/cluster/key-locks.js";
import { describeWithRedis, givenRedis, type GivenRedis } from "./given-cluster.js";

describeWithRedis("key locks across replicas (real Redis)", () => {
  let redis: GivenRedis;
  beforeAll(async () => {
    redis = await givenRedis();
  });
  afterAll(() => redis.stop());

  /** Two replicas' locks on one Redis, and a run the test ends. */
  function setUp(prefix: string) {
    const one = new KeyLocks({ redis: redis.client, prefix, lockMs: 5_000, pollMs: 10 });
    const two = new KeyLocks({ redis: redis.client, prefix, lockMs: 5_000, pollMs: 10 });
    let end = (): void => undefined;
    const running = new Promise<void>((resolve) => (end = resolve));
    return { one, two, running, end };
  }
  const job = (deliveryId: string, whileRunning: "follow-up" | "ignore" = "follow-up") => ({
    key: "octo/a#1:review",
    repository: "octo/a",
    deliveryId,
    whileRunning,
  });

  it("runs a trigger that finds its key busy on another replica once more, after it", async () => {
    const { one, two, running, end } = setUp("locks-1");
    const order: string[] = [];
    const first = one.run(job("d-1"), async () => {
      order.push("first starts");
      await running;
      order.push("first ends");
    });
    await waitUntil(() => order.length === 1);
    const second = two.run(job("d-2"), () => {
      order.push("second runs");
      return Promise.resolve();
    });
    end();

    expect(await Promise.all([first, second])).toEqual(["ran", "ran"]);
    expect(order).toEqual(["first starts", "first ends", "second runs"]);
  });

  it("runs only the newest of several triggers that waited on a busy key", async () => {
    const { one, two, running, end } = setUp("locks-2");
    const ran: string[] = [];
    const first = one.run(job("d-1"), () => running);
    await waitUntil(async () => (await redis.client.get("locks-2:key:octo/a#1:review")) !== null);
    const older = two.run(job("d-2"), () => Promise.resolve(void ran.push("d-2")));
    await waitUntil(
      async () => (await redis.client.get("locks-2:key-newest:octo/a#1:review")) === "d-2",
    );
    const newer = two.run(job("d-3"), () => Promise.resolve(void ran.push("d-3")));
    await waitUntil(
      async () => (await redis.client.get("locks-2:key-newest:octo/a#1:review")) === "d-3",
    );
    end();

    expect(await Promise.all([first, older, newer])).toEqual(["ran", "covered", "ran"]);
    expect(ran).toEqual(["d-3"]);
  });

  it("ignores a trigger that asked not to follow up while the key is busy", async () => {
    const { one, two, running, end } = setUp("locks-3");
    const first = one.run(job("d-1"), () => running);
    await waitUntil(async () => (await redis.client.get("locks-3:key:octo/a#1:review")) !== null);

    const ignored = await two.run(job("d-2", "ignore"), () => Promise.reject(new Error("ran")));
    end();

    expect(ignored).toBe("ignored");
    expect(await first).toBe("ran");
  });
});

async function waitUntil(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 5));
}
