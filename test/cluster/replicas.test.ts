// Three App replicas in child processes against one real Redis and a GitHub that keeps comments:
// deliveries spread over them, one is killed mid-run, one is stopped with SIGTERM, and every run
// still completes exactly once.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CommentKeepingGitHub } from "../support/comment-keeping-github.js";
import { describeWithRedis, givenCluster, type GivenCluster } from "./given-cluster.js";
import { sendPlanComment, type Replica } from "./replica-fleet.js";

describeWithRedis("several replicas on one Redis", () => {
  let cluster: GivenCluster;
  beforeAll(async () => {
    cluster = await givenCluster();
  });
  afterAll(() => cluster.stop());

  it(
    "finishes every run exactly once though one replica is killed and one stopped mid-run",
    { timeout: 120_000 },
    async () => {
      const { github, model } = cluster;
      const env = {
        SYMPHONY_REDIS_LOCK_MS: "4000",
        SYMPHONY_QUEUE_CONCURRENCY: "3",
        SYMPHONY_MODEL_CONCURRENCY: "3",
      };
      const replicas = await Promise.all([0, 1, 2].map(() => cluster.startReplica(env)));
      const [killed, stopped, staying] = replicas as [Replica, Replica, Replica];
      const runs = Array.from({ length: 18 }, (_, i) => ({
        id: `delivery-${i}`,
        // Nine repositories: each runs one at a time, so nine runs fill the three replicas.
        repository: `octo/repo-${i % 9}`,
        issue: i + 1,
        installation: 2,
      }));

      // Model calls take 3 s: once nine are in flight, each replica holds its full share of runs.
      model.respond(() => ({ json: { answer: "ok" }, headerDelayMs: 3_000 }));
      const acks = await Promise.all(runs.map((run, i) => sendPlanComment(replicas[i % 3]!, run)));
      await model.waitForChatRequests(9);
      killed.child.kill("SIGKILL");
      await killed.exited;
      stopped.child.kill("SIGTERM");
      const redelivered = await sendPlanComment(staying, runs[0]!);
      const stoppedExit = await stopped.exited;
      await waitFor(() => finished(github) === runs.length, 60_000);

      expect(acks.map((ack) => ack.status)).toEqual(runs.map(() => 200));
      expect(redelivered.status).toBe(200);
      expect(stoppedExit).toBe(0);
      for (const run of runs) {
        const comments = github.comments.get(`${run.repository}#${run.issue}`) ?? [];
        expect(comments.map((comment) => comment.body)).toEqual([expect.stringContaining("✅ ok")]);
      }
      // The killed replica's three runs were taken up again by the others.
      expect(model.chatRequests().length).toBeGreaterThanOrEqual(runs.length + 3);
      // …and /metrics says so: found stalled, and started again.
      const metrics = await (await fetch(`${staying.url}/metrics`)).text();
      expect(counter(metrics, "symphony_cluster_stalled_jobs_total")).toBe(3);
      expect(counter(metrics, "symphony_cluster_job_retries_total")).toBe(3);
      expect(github.unmatched).toEqual([]);
    },
  );
});

function counter(metrics: string, name: string): number {
  return Number(new RegExp(`^${name} (\\d+)$`, "m").exec(metrics)?.[1]);
}

function finished(github: CommentKeepingGitHub): number {
  return [...github.comments.values()].filter((list) => list.some((c) => c.body.includes("✅")))
    .length;
}

async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}
