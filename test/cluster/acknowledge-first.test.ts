// With Redis a delivery is answered once it is stored, before any GitHub read: a replica answers
// 200 while GitHub answers nothing at all, and the run happens once GitHub is back.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithRedis, givenCluster, type GivenCluster } from "./given-cluster.js";
import { sendPlanComment } from "./replica-fleet.js";

describeWithRedis("acknowledging a delivery with Redis", () => {
  let cluster: GivenCluster;
  beforeAll(async () => {
    cluster = await givenCluster({ github: { held: true }, model: { answers: { answer: "ok" } } });
  });
  afterAll(() => cluster.stop());

  it("answers 200 before GitHub has answered a single request", { timeout: 30_000 }, async () => {
    const { github } = cluster;
    const replica = await cluster.startReplica();
    const delivery = { id: "ack-first", repository: "octo/a", issue: 1, installation: 2 };

    const ack = await sendPlanComment(replica, delivery);
    // The worker took the job and waits on GitHub (the token, the settings) after the answer.
    await waitFor(() => github.requests.length > 0);
    const comments = github.comments.size;
    cluster.answerGitHub();
    await waitFor(() => github.comments.get("octo/a#1")?.[0]?.body.includes("✅") === true);

    expect(ack.status).toBe(200);
    expect(comments).toBe(0);
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  const until = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
