// GitHub's write limits are shared through Redis: a replica killed while one of its writes waits
// for its turn must not hold that installation's writes, on every other replica, until the
// throttling's 60 s expiration frees the slot.
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithRedis, givenCluster, type GivenCluster } from "./given-cluster.js";
import { sendPlanComment } from "./replica-fleet.js";

describeWithRedis("write throttling across replicas (real Redis)", () => {
  let cluster: GivenCluster;
  let client: Redis;
  beforeAll(async () => {
    cluster = await givenCluster({ model: { answers: { answer: "ok" } } });
    client = new Redis(cluster.redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await cluster.stop();
  });

  it(
    "posts from another replica while a killed replica's comment post still waits its turn",
    { timeout: 60_000 },
    async () => {
      const { github } = cluster;
      // Jobs of the killed replica are not taken up again during the test.
      const env = { THROTTLE: "on", SYMPHONY_REDIS_LOCK_MS: "60000" };
      const posts = (): string[] =>
        github.requests
          .filter(({ request }) => /^POST \/repos\/.*\/comments$/.test(request))
          .map(({ request }) => request);
      const killed = await cluster.startReplica(env);
      // Two repositories of one installation: comment posts 3 s apart, so the second waits.
      const delivery = (repository: string) => ({
        id: `throttle-${repository}`,
        repository,
        issue: 1,
        installation: 3,
      });
      await sendPlanComment(killed, delivery("octo/a"));
      await sendPlanComment(killed, delivery("octo/b"));
      await waitFor(async () => posts().length === 1 && (await waitingPosts(client)) > 0);
      killed.child.kill("SIGKILL");
      await killed.exited;

      const staying = await cluster.startReplica(env);
      await sendPlanComment(staying, delivery("octo/c"));
      await waitFor(() =>
        Promise.resolve(posts().includes("POST /repos/octo/c/issues/1/comments")),
      );

      // The dead replica's post is still registered as waiting: the one from octo/c went ahead.
      expect(await waitingPosts(client)).toBeGreaterThan(0);
      expect(posts()).not.toContain("POST /repos/octo/b/issues/1/comments");
    },
  );
});

/** Comment posts registered with the notification limiter and not yet done, on any replica. */
async function waitingPosts(client: Redis): Promise<number> {
  let total = 0;
  for (const key of await client.keys("b_*notifications-3_job_clients")) {
    total += await client.hlen(key);
  }
  return total;
}

/** Polls `done` until it holds (the throttling's 60 s would pass first if it never does). */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
