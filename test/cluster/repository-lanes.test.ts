// Repository lanes on a real Redis, two workers (replicas) on one queue: one repository's
// deliveries run one after another in order of arrival, another repository's single run is not
// held back by a busy one, and a lane left stuck by a replica that died mid-step moves on.
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { DeliveryQueue, type StoredDelivery } from "../../src/app/cluster/delivery-queue.js";
import { RepositoryLanes } from "../../src/app/cluster/repository-lanes.js";
import { describeWithRedis, givenRedis, type GivenRedis } from "./given-cluster.js";

describeWithRedis("repository lanes (real Redis, two workers)", () => {
  let redis: GivenRedis;
  const open: DeliveryQueue[] = [];
  beforeAll(async () => {
    redis = await givenRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((queue) => queue.stop(1_000, async () => {})));
  });
  afterAll(() => redis.stop());

  /** Two replicas' queues, each working three jobs at once. */
  async function twoReplicas(prefix: string, handle: (delivery: StoredDelivery) => Promise<void>) {
    const settings = redis.settings(prefix, { concurrency: 3, lockMs: 300 });
    const log = pino({ level: "silent" });
    const replicas = [new DeliveryQueue(settings, log), new DeliveryQueue(settings, log)];
    open.push(...replicas);
    for (const replica of replicas) replica.work(handle);
    await waitUntil(() => replicas.every((replica) => replica.redis.status === "ready"));
    return replicas as [DeliveryQueue, DeliveryQueue];
  }
  const delivery = (id: string): StoredDelivery => ({ id, name: "issues", payload: {} });

  it("runs one repository's deliveries one after another, in order of arrival", async () => {
    const events: string[] = [];
    let running = 0;
    let overlapped = false;
    const replicas = await twoReplicas("lanes-1", async ({ id }) => {
      running += 1;
      overlapped ||= running > 1;
      events.push(id);
      // Later deliveries are quicker, so any overlap would finish them first.
      await pause(5 * (12 - Number(id.slice(1))));
      running -= 1;
    });

    for (let i = 0; i < 12; i += 1) await replicas[i % 2]!.store(delivery(`d${i}`), "octo/busy");
    await waitUntil(() => events.length === 12 && running === 0);

    expect(events).toEqual(Array.from({ length: 12 }, (_, i) => `d${i}`));
    expect(overlapped).toBe(false);
  });

  it("starts another repository's single run while a busy one still has 20 waiting", async () => {
    const started: string[] = [];
    let finishBusy = (): void => undefined;
    const busyHeld = new Promise<void>((resolve) => (finishBusy = resolve));
    const replicas = await twoReplicas("lanes-2", async ({ id }) => {
      started.push(id);
      if (id.startsWith("busy")) await busyHeld;
    });

    for (let i = 0; i < 20; i += 1) await replicas[0].store(delivery(`busy-${i}`), "octo/busy");
    await replicas[1].store(delivery("quiet-0"), "octo/quiet");
    await waitUntil(() => started.includes("quiet-0"));
    finishBusy();
    await waitUntil(() => started.length === 21);

    // The quiet repository did not wait for even one of the busy repository's runs to end.
    expect(started.slice(0, 2).sort()).toEqual(["busy-0", "quiet-0"]);
    expect(started.slice(2)).toEqual(Array.from({ length: 19 }, (_, i) => `busy-${i + 1}`));
  });

  it("adds nothing for a redelivery of a finished delivery, and its lane goes on", async () => {
    const handled: string[] = [];
    const replicas = await twoReplicas("lanes-3", async ({ id }) => {
      handled.push(id);
    });

    await replicas[0].store(delivery("once"), "octo/a");
    await waitUntil(() => handled.length === 1);
    await replicas[1].store(delivery("once"), "octo/a");
    await replicas[1].store(delivery("next"), "octo/a");
    await waitUntil(() => handled.includes("next"));
    await waitUntilAsync(async () => (await redis.client.zcard("lanes-3:lane:octo/a")) === 0);

    expect(handled).toEqual(["once", "next"]);
  });

  it("moves on past a delivery its replica entered in the lane but died before adding", async () => {
    const handled: string[] = [];
    const replicas = await twoReplicas("lanes-4", async ({ id }) => {
      handled.push(id);
    });
    const lanes = new RepositoryLanes({
      redis: redis.client,
      prefix: "lanes-4",
      perRepository: 1,
      jobKey: (jobId) => `lanes-4:deliveries:${jobId}`,
      jobs: { release: () => Promise.resolve(), state: () => Promise.resolve("unknown") },
    });
    // The dead replica's half: in the lane, never added to the queue.
    await lanes.enter("octo/a", "delivery-lost");

    await replicas[0].store(delivery("after"), "octo/a");
    await waitUntil(() => handled.includes("after"));
    await waitUntilAsync(async () => (await redis.client.zcard("lanes-4:lane:octo/a")) === 0);

    expect(handled).toEqual(["after"]);
  });

  it("tries a delivery again when its worker failed outside the feature code", async () => {
    const tries: string[] = [];
    const replicas = await twoReplicas("lanes-5", async ({ id }) => {
      tries.push(id);
      if (tries.length === 1) throw new Error("the installation token was refused");
    });

    await replicas[0].store(delivery("flaky"), "octo/a");
    await replicas[0].store(delivery("behind"), "octo/a");
    await waitUntil(() => tries.length === 3);

    // The one behind waited through the back-off: the lane kept its order.
    expect(tries).toEqual(["flaky", "flaky", "behind"]);
  });
});

async function waitUntil(ready: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await pause(10);
  }
}

async function waitUntilAsync(ready: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await pause(10);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
