// Redis away: a replica refuses new deliveries with a 503 (GitHub shows them failed), /readyz
// says why, and both recover by themselves once Redis is back, without a restart.
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

describe.skipIf(!present)("a replica while Redis is away", () => {
  let redis: RunningRedis;
  let github: CommentKeepingGitHub;
  let model: ModelServer;
  let replica: Replica | undefined;

  beforeAll(async () => {
    [redis, github, model] = await Promise.all([
      startRedis(),
      startCommentKeepingGitHub(),
      startModelServer(),
    ]);
    model.respond(() => ({ json: { answer: "ok" } }));
  });

  afterAll(async () => {
    replica?.child.kill("SIGKILL");
    await replica?.exited;
    await Promise.all([model.close(), github.close(), redis.stop()]);
  });

  it(
    "answers 503 and says so on /readyz, then takes deliveries again once Redis is back",
    { timeout: 60_000 },
    async () => {
      replica = await startReplica({
        redisUrl: redis.url,
        githubUrl: github.url,
        modelUrl: model.url,
        env: { LOG_LEVEL: "error" },
      });
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

      await redis.stop();
      const refused = await sendPlanComment(replica, delivery("while-down", 1));
      const notReady = await readyz(replica.url);
      redis = await startRedis(redis.port);
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
