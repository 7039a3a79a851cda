// Redis goes away while a run is in its model call: the run finishes (it needs GitHub and the
// model, not Redis), and once Redis is back its job is marked done on that first try, instead of
// failing and being taken up again.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithRedis, givenCluster, type GivenCluster } from "./given-cluster.js";
import { sendPlanComment } from "./replica-fleet.js";

describeWithRedis("Redis away in the middle of a run", () => {
  let cluster: GivenCluster;
  beforeAll(async () => {
    cluster = await givenCluster({
      persistentRedis: true,
      model: { answers: { answer: "ok" }, held: true },
    });
  });
  afterAll(() => cluster.stop());

  it(
    "finishes the run, and marks its job done on that first try once Redis is back",
    { timeout: 60_000 },
    async () => {
      const { github, model } = cluster;
      const replica = await cluster.startReplica();
      await sendPlanComment(replica, {
        id: "mid-run",
        repository: "octo/a",
        issue: 1,
        installation: 2,
      });
      await model.waitForChatRequests(1);

      await cluster.redis.stop();
      cluster.answerModel();
      await waitFor(async () => github.comments.get("octo/a#1")?.[0]?.body.includes("✅") === true);
      await cluster.restartRedis();
      const url = replica.url;
      await waitFor(async () =>
        /symphony_cluster_jobs\{state="completed"\} 1/.test(await metrics(url)),
      );

      // Done on its first try: not failed, stalled and taken up again (by another replica, a second
      // run; by this one, a run its memory of deliveries skips).
      expect(await metrics(url)).toMatch(/^symphony_cluster_job_retries_total 0$/m);
      expect(model.chatRequests()).toHaveLength(1);
      expect(github.comments.get("octo/a#1")).toHaveLength(1);
    },
  );
});

async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

async function waitFor(done: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 45_000;
  while (!(await done())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
