// With Redis a delivery is answered once it is stored, before any GitHub read: a replica answers
// 200 while GitHub answers nothing at all, and the run happens once GitHub is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startCommentKeepingGitHub,
  type CommentKeepingGitHub,
} from "../support/comment-keeping-github.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import {
  hasRedisServer,
  REDIS_MISSING,
  startRedis,
  type RunningRedis,
} from "../support/redis-server.js";
import { sendPlanComment, startReplica, type Replica } from "./replica-fleet.js";

const present = hasRedisServer();
if (!present) console.warn(REDIS_MISSING);

describe.skipIf(!present)("acknowledging a delivery with Redis", () => {
  let redis: RunningRedis;
  let github: CommentKeepingGitHub;
  let model: ModelServer;
  let replica: Replica | undefined;
  let answerGitHub = (): void => undefined;

  beforeAll(async () => {
    const held = new Promise<void>((resolve) => (answerGitHub = resolve));
    [redis, github, model] = await Promise.all([
      startRedis(),
      startCommentKeepingGitHub({ holdUntil: held }),
      startModelServer(),
    ]);
    model.respond(() => ({ json: { answer: "ok" } }));
  });

  afterAll(async () => {
    answerGitHub();
    replica?.child.kill("SIGKILL");
    await replica?.exited;
    await Promise.all([model.close(), github.close(), redis.stop()]);
  });

  it("answers 200 before GitHub has answered a single request", { timeout: 30_000 }, async () => {
    replica = await startReplica({
      redisUrl: redis.url,
      githubUrl: github.url,
      modelUrl: model.url,
    });
    const delivery = { id: "ack-first", repository: "octo/a", issue: 1, installation: 2 };

    const ack = await sendPlanComment(replica, delivery);
    // The worker took the job and waits on GitHub (the token, the settings) after the answer.
    await waitFor(() => github.requests.length > 0);
    const comments = github.comments.size;
    answerGitHub();
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
