// REDIS_URL as Probot's docs suggest for several instances: Probot then loads ioredis for its
// Octokit throttling, which used to stop the App at start (ERR_MODULE_NOT_FOUND).
import nock from "nock";
import { Probot } from "probot";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pino } from "pino";
import { DeliveryQueue } from "../../src/app/cluster/delivery-queue.js";
import { SymphonyProbotOctokit } from "../../src/github/probot-octokit.js";
import { TEST_APP_ID, testPrivateKey } from "../support/probot.js";
import { describeWithRedis, givenRedis, type GivenRedis } from "./given-cluster.js";

describeWithRedis("start-up with REDIS_URL (real Redis)", () => {
  let redis: GivenRedis;
  beforeAll(async () => {
    redis = await givenRedis();
  });
  afterAll(async () => {
    nock.cleanAll();
    await redis.stop();
  });

  it("starts, and Probot's write throttling keeps its state in Redis", async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    const probot = new Probot({
      appId: TEST_APP_ID,
      privateKey: testPrivateKey(),
      redisConfig: redis.server.url,
      Octokit: SymphonyProbotOctokit,
      logLevel: "fatal",
    });
    nock("https://api.github.com")
      .patch("/app/hook/config")
      .reply(200, { content_type: "json", url: "https://example.test/" });

    await probot.ready();
    const octokit = await probot.auth();
    await octokit.request("PATCH /app/hook/config", { content_type: "json" });

    const keys = await redis.client.keys("b_*");
    // The write limiter, shared by every replica (its concurrency limits stay per replica).
    expect(keys.some((key) => key.startsWith("b_symphony-write"))).toBe(true);
  });

  it("stores a delivery that arrives before its Redis connection is up, instead of a 503", async () => {
    const settings = redis.settings("start-up", { concurrency: 1, lockMs: 5_000 });
    const deliveries = new DeliveryQueue(settings, pino({ level: "silent" }));
    try {
      // Straight after start-up: the replica listens before its connection is made.
      expect(deliveries.redis.status).not.toBe("ready");
      await deliveries.store({ id: "early", name: "issues", payload: {} }, "octo/a");

      expect(await deliveries.counts()).toMatchObject({ waiting: 1 });
    } finally {
      await deliveries.stop(0, async () => {});
    }
  });
});
