// REDIS_URL as Probot's docs suggest for several instances: Probot then loads ioredis for its
// Octokit throttling, which used to stop the App at start (ERR_MODULE_NOT_FOUND).
import { Redis } from "ioredis";
import nock from "nock";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { DeliveryQueue } from "../../src/app/cluster/delivery-queue.js";
import { SymphonyProbotOctokit } from "../../src/github/probot-octokit.js";
import { TEST_APP_ID, testPrivateKey } from "../support/probot.js";
import {
  hasRedisServer,
  REDIS_MISSING,
  startRedis,
  type RunningRedis,
} from "../support/redis-server.js";

const present = hasRedisServer();
if (!present) console.warn(REDIS_MISSING);

describe.skipIf(!present)("start-up with REDIS_URL (real Redis)", () => {
  let server: RunningRedis;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    nock.cleanAll();
    await server.stop();
  });

  it("starts, and Probot's write throttling keeps its state in Redis", async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    const probot = new Probot({
      appId: TEST_APP_ID,
      privateKey: testPrivateKey(),
      redisConfig: server.url,
      Octokit: SymphonyProbotOctokit,
      logLevel: "fatal",
    });
    nock("https://api.github.com")
      .patch("/app/hook/config")
      .reply(200, { content_type: "json", url: "https://example.test/" });

    await probot.ready();
    const octokit = await probot.auth();
    await octokit.request("PATCH /app/hook/config", { content_type: "json" });

    const redis = new Redis(server.url);
    const keys = await redis.keys("b_*");
    redis.disconnect();
    // The write limiter, shared by every replica (its concurrency limits stay per replica).
    expect(keys.some((key) => key.startsWith("b_symphony-write"))).toBe(true);
  });

  it("stores a delivery that arrives before its Redis connection is up, instead of a 503", async () => {
    const settings = {
      url: server.url,
      concurrency: 1,
      lockMs: 5_000,
      repoConcurrency: 1,
      prefix: "start-up",
    };
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
