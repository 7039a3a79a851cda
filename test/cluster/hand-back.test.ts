// SIGTERM with Redis: a run still going when the grace period ends is handed back to Redis, and
// another replica finishes it; the user sees one status comment that goes from "working" to the
// answer, never a failure or a restart notice in between.
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

describe.skipIf(!present)("a replica stopped while its run outlasts the grace period", () => {
  let redis: RunningRedis;
  let github: CommentKeepingGitHub;
  let model: ModelServer;
  const replicas: Replica[] = [];
  let answerModel = (): void => undefined;

  beforeAll(async () => {
    [redis, github, model] = await Promise.all([
      startRedis(),
      startCommentKeepingGitHub(),
      startModelServer(),
    ]);
    const held = new Promise<void>((resolve) => (answerModel = resolve));
    model.respond(() => ({ json: { answer: "ok" }, holdUntil: held }));
  });

  afterAll(async () => {
    answerModel();
    for (const replica of replicas) replica.child.kill("SIGKILL");
    await Promise.all(replicas.map((replica) => replica.exited));
    await Promise.all([model.close(), github.close(), redis.stop()]);
  });

  it("is finished by another replica, its status comment never saying it failed", async () => {
    const fleet = {
      redisUrl: redis.url,
      githubUrl: github.url,
      modelUrl: model.url,
      env: { SYMPHONY_SHUTDOWN_GRACE_MS: "200" },
    };
    const stopped = await startReplica(fleet);
    replicas.push(stopped);
    await sendPlanComment(stopped, {
      id: "hand-back",
      repository: "octo/a",
      issue: 1,
      installation: 2,
    });
    await model.waitForChatRequests(1);
    const staying = await startReplica(fleet);
    replicas.push(staying);

    stopped.child.kill("SIGTERM");
    const exit = await stopped.exited;
    await model.waitForChatRequests(2);
    answerModel();
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
