// A replica that is slow, not dead: BullMQ's stalled check hands its job to a second worker while
// the first still runs (its job lock lapsed). The delivery's work must still be done once: one
// status comment, not one per copy.
import nock from "nock";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DeliveryQueue, type StoredDelivery } from "../../src/app/cluster/delivery-queue.js";
import { describeWithRedis, givenRedis, type GivenRedis } from "./given-cluster.js";

describeWithRedis("a job re-taken while its first run is alive (real Redis)", () => {
  let redis: GivenRedis;
  beforeAll(async () => {
    redis = await givenRedis();
    nock.disableNetConnect();
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await redis.stop();
  });

  it("posts the status comment once though a second worker took the job up again", async () => {
    const settings = redis.settings("slow-1", { concurrency: 1, lockMs: 300 });
    const log = pino({ level: "silent" });
    const one = new DeliveryQueue(settings, log);
    const two = new DeliveryQueue(settings, log);
    let posts = 0;
    nock("https://api.github.com")
      .post("/repos/octo/a/issues/1/comments")
      .times(5)
      .reply(201, () => {
        posts += 1;
        return { id: posts };
      });

    let answer = (): void => undefined;
    const slowModel = new Promise<void>((resolve) => (answer = resolve));
    let started = 0;
    let finished = 0;
    const handle = async (_delivery: StoredDelivery): Promise<void> => {
      started += 1;
      await fetch("https://api.github.com/repos/octo/a/issues/1/comments", {
        method: "POST",
        body: JSON.stringify({ body: "Symphony is working on it" }),
      });
      await slowModel;
      finished += 1;
    };
    let retaken = false;
    one.work(handle, { retried: () => (retaken = true) });
    two.work(handle, { retried: () => (retaken = true) });
    try {
      await waitUntil(() => one.redis.status === "ready" && two.redis.status === "ready");
      await one.store({ id: "d-1", name: "issues", payload: {} }, "octo/a");
      await waitUntil(() => posts === 1);
      // The first run is inside its slow model call; its replica misses renewing the job lock.
      await redis.client.del("slow-1:deliveries:delivery-d-1:lock");
      await waitUntil(() => retaken);
      await pause(200); // time for the second copy to post, were it to
      answer();
      await waitUntil(() => finished >= 1);
      await pause(200);

      expect(posts).toBe(1);
      expect(finished).toBe(1);
      expect(started).toBe(1);
    } finally {
      answer();
      await Promise.all([one.stop(1_000, async () => {}), two.stop(1_000, async () => {})]);
    }
  });
});

async function waitUntil(ready: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await pause(10);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
