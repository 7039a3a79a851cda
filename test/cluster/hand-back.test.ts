// SIGTERM with Redis: a run still going when the grace period ends is handed back to Redis, and
// another replica finishes it; the user sees one status comment that goes from "working" to the
// answer, never a failure or a restart notice in between.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithRedis, givenCluster, type GivenCluster } from "./given-cluster.js";
import { sendPlanComment } from "./replica-fleet.js";

describeWithRedis("a replica stopped while its run outlasts the grace period", () => {
  let cluster: GivenCluster;
  beforeAll(async () => {
    cluster = await givenCluster({ model: { answers: { answer: "ok" }, held: true } });
  });
  afterAll(() => cluster.stop());

  it("is finished by another replica, its status comment never saying it failed", async () => {
    const { github, model } = cluster;
    const env = { SYMPHONY_SHUTDOWN_GRACE_MS: "200" };
    const stopped = await cluster.startReplica(env);
    await sendPlanComment(stopped, {
      id: "hand-back",
      repository: "octo/a",
      issue: 1,
      installation: 2,
    });
    await model.waitForChatRequests(1);
    await cluster.startReplica(env);

    stopped.child.kill("SIGTERM");
    const exit = await stopped.exited;
    await model.waitForChatRequests(2);
    cluster.answerModel();
    await waitFor(() => github.comments.get("octo/a#1")?.[0]?.body.includes("✅") === true);

    expect(exit).toBe(0);
    expect(github.comments.get("octo/a#1")).toHaveLength(1);
    const bodies = github.writes.filter((write) => write.key === "octo/a#1").map((w) => w.body);
    expect(bodies.at(-1)).toContain("✅ ok");
    expect(bodies.filter((body) => /❌|restarted/.test(body))).toEqual([]);
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  const until = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
