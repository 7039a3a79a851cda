// Redis away: a replica refuses new deliveries with a 503 (GitHub shows them failed), /readyz
// says why, and both recover by themselves once Redis is back, without a restart.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithRedis, givenCluster, type GivenCluster } from "./given-cluster.js";
import { sendPlanComment } from "./replica-fleet.js";

describeWithRedis("a replica while Redis is away", () => {
  let cluster: GivenCluster;
  beforeAll(async () => {
    cluster = await givenCluster({ model: { answers: { answer: "ok" } } });
  });
  afterAll(() => cluster.stop());

  it(
    "answers 503 and says so on /readyz, then takes deliveries again once Redis is back",
    { timeout: 60_000 },
    async () => {
      const { github } = cluster;
      const replica = await cluster.startReplica({ LOG_LEVEL: "error" });
      const delivery = (id: string, issue: number) => ({
        id,
        repository: "octo/repo",
        issue,
        installation: 2,
      });
      // Ready once its connection to Redis is up, as a load balancer's probe would wait for.
      let before = await readyz(replica.url);
      while (before.status !== 200) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        before = await readyz(replica.url);
      }

      await cluster.redis.stop();
      const refused = await sendPlanComment(replica, delivery("while-down", 1));
      const notReady = await readyz(replica.url);
      await cluster.restartRedis();
      let after = await sendPlanComment(replica, delivery("after", 2));
      for (let tries = 0; after.status !== 200 && tries < 100; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await sendPlanComment(replica, delivery(`after-${tries}`, 2));
      }
      await waitFor(() => github.comments.get("octo/repo#2")?.[0]?.body.includes("✅") === true);

      expect(before).toMatchObject({ status: 200, body: { redis: "answering" } });
      expect(refused.status).toBe(503);
      expect(replica.output()).toContain("delivery refused (503): Redis is away");
      expect(notReady).toMatchObject({ status: 503, body: { redis: "not answering" } });
      expect(after.status).toBe(200);
      expect(github.comments.get("octo/repo#1")).toBeUndefined();
      const metrics = await (await fetch(`${replica.url}/metrics`)).text();
      // The stored job is finishing or finished: its comment is written before BullMQ marks it.
      expect(metrics).toMatch(/symphony_cluster_jobs\{state="(active|completed)"\} 1/);
      expect(metrics).toMatch(/symphony_cluster_jobs\{state="waiting"\} 0/);
    },
  );
});

async function readyz(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: await response.json() };
}

async function waitFor(done: () => boolean): Promise<void> {
  const until = Date.now() + 30_000;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}
