// Redis goes away while a run is in its model call: the run finishes (it needs GitHub and the
// model, not Redis), and once Redis is back its job is marked done on that first try, instead of
// failing and being taken up again.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe.skipIf(!present)("Redis away in the middle of a run", () => {
  let dir: string;
  let redis: RunningRedis;
  let github: CommentKeepingGitHub;
  let model: ModelServer;
  let replica: Replica | undefined;
  let answerModel = (): void => undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "symphony-redis-"));
    [redis, github, model] = await Promise.all([
      startRedis(undefined, { dir }),
      startCommentKeepingGitHub(),
      startModelServer(),
    ]);
    const held = new Promise<void>((resolve) => (answerModel = resolve));
    model.respond(() => ({ json: { answer: "ok" }, holdUntil: held }));
  });

  afterAll(async () => {
    answerModel();
    replica?.child.kill("SIGKILL");
    await replica?.exited;
    await Promise.all([model.close(), github.close(), redis.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it(
    "finishes the run, and marks its job done on that first try once Redis is back",
    { timeout: 60_000 },
    async () => {
      replica = await startReplica({
        redisUrl: redis.url,
        githubUrl: github.url,
        modelUrl: model.url,
      });
      await sendPlanComment(replica, {
        id: "mid-run",
        repository: "octo/a",
        issue: 1,
        installation: 2,
      });
      await model.waitForChatRequests(1);

      await redis.stop();
      answerModel();
      await waitFor(async () => github.comments.get("octo/a#1")?.[0]?.body.includes("✅") === true);
      redis = await startRedis(redis.port, { dir });
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
