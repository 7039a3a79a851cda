// GitHub's write limits are shared through Redis: a replica killed while one of its writes waits
// for its turn must not hold that installation's writes, on every other replica, until the
// throttling's 60 s expiration frees the slot.
import { Redis } from "ioredis";
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

describe.skipIf(!present)("write throttling across replicas (real Redis)", () => {
  let redis: RunningRedis;
  let github: CommentKeepingGitHub;
  let model: ModelServer;
  let client: Redis;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    [redis, github, model] = await Promise.all([
      startRedis(),
      startCommentKeepingGitHub(),
      startModelServer(),
    ]);
    client = new Redis(redis.url);
    model.respond(() => ({ json: { answer: "ok" } }));
  });

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill("SIGKILL");
    await Promise.all(replicas.map((replica) => replica.exited));
    client.disconnect();
    await Promise.all([model.close(), github.close(), redis.stop()]);
  });

  it(
    "posts from another replica while a killed replica's comment post still waits its turn",
    { timeout: 60_000 },
    async () => {
      const fleet = {
        redisUrl: redis.url,
        githubUrl: github.url,
        modelUrl: model.url,
        // Jobs of the killed replica are not taken up again during the test.
        env: { THROTTLE: "on", SYMPHONY_REDIS_LOCK_MS: "60000" },
      };
      const posts = (): string[] =>
        github.requests
          .filter(({ request }) => /^POST \/repos\/.*\/comments$/.test(request))
          .map(({ request }) => request);
      const killed = await startReplica(fleet);
      replicas.push(killed);
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

      const staying = await startReplica(fleet);
      replicas.push(staying);
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
