// Shared "given" set-ups of the cluster tests, written once instead of in every file: a real Redis
// (the tests skip with a message where redis-server is absent), App replicas on it in this process,
// and the fleet of replica processes with the comment-keeping GitHub and the scripted model server.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import type { Probot } from "probot";
import { describe } from "vitest";
import { createReplica, type Replica as AppReplica } from "../../src/app/cluster/cluster-queue.js";
import type { ClusterSettings } from "../../src/app/cluster/redis-settings.js";
import { createSymphonyApp, type SymphonyDeps } from "../../src/create-app.js";
import type { ModelRuntime } from "../../src/runner/types.js";
import {
  startCommentKeepingGitHub,
  type CommentKeepingGitHub,
} from "../support/comment-keeping-github.js";
import { startModelServer, type JsonValue, type ModelServer } from "../support/model-server.js";
import { createFakeRuntime, createTestProbot, TEST_BOT_LOGIN } from "../support/probot.js";
import {
  hasRedisServer,
  REDIS_MISSING,
  startRedis,
  type RunningRedis,
} from "../support/redis-server.js";
import { startReplica, type Replica } from "./replica-fleet.js";

/** `describe`, skipped with a sentence on how to install redis-server where it is absent. */
export function describeWithRedis(name: string, fn: () => void): void {
  const present = hasRedisServer();
  if (!present) console.warn(REDIS_MISSING);
  describe.skipIf(!present)(name, fn);
}

export interface GivenRedis {
  server: RunningRedis;
  /** An ioredis client of the test's own on that server. */
  client: Redis;
  /** A replica's settings on this Redis: one run of a repository at a time unless told. */
  settings(
    prefix: string,
    tuning: Pick<ClusterSettings, "concurrency" | "lockMs"> & Partial<ClusterSettings>,
  ): ClusterSettings;
  /** An App instance in this process as a replica on this Redis; `stop()` stops it first. */
  appReplica(options: GivenAppReplicaOptions): Promise<{ probot: Probot; replica: AppReplica }>;
  /** Stops the App replicas made here, the client, then the server. */
  stop(): Promise<void>;
}

export type GivenAppReplicaOptions = Partial<Omit<SymphonyDeps, "runtime" | "replica">> & {
  /** Redis key prefix: each test's replicas share one, apart from every other test's. */
  prefix: string;
  /** Where model calls go; without them every model call fails loudly. */
  models?: ModelRuntime;
};

/** A real Redis, started for the test, and a client on it. */
export async function givenRedis(): Promise<GivenRedis> {
  const server = await startRedis();
  const client = new Redis(server.url);
  const replicas: AppReplica[] = [];
  const settings: GivenRedis["settings"] = (prefix, tuning) => ({
    url: server.url,
    repoConcurrency: 1,
    prefix,
    ...tuning,
  });
  return {
    server,
    client,
    settings,
    appReplica: async ({ prefix, models, ...deps }) => {
      let replica: AppReplica | undefined;
      const probot = await createTestProbot({
        app: (app, options) => {
          replica = createReplica(app, settings(prefix, { concurrency: 2, lockMs: 5_000 }));
          replicas.push(replica);
          return createSymphonyApp({
            runtime: createFakeRuntime(models === undefined ? {} : { models }),
            botLogin: TEST_BOT_LOGIN,
            ...deps,
            replica,
          })(app, options);
        },
      });
      return { probot, replica: replica! };
    },
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.deliveries.stop(1_000, async () => {})));
      client.disconnect();
      await server.stop();
    },
  };
}

export interface GivenClusterOptions {
  /** Redis keeps an append-only file, so that `restartRedis()` brings back what it held. */
  persistentRedis?: boolean;
  /** The comment-keeping GitHub's options; `held`: it answers nothing before `answerGitHub()`. */
  github?: Omit<NonNullable<Parameters<typeof startCommentKeepingGitHub>[0]>, "holdUntil"> & {
    held?: boolean;
  };
  /**
   * Every chat answered with `answers` as JSON (`held`: not before `answerModel()`); left out,
   * the model answers nothing until the test scripts it.
   */
  model?: { answers: JsonValue; held?: boolean };
}

export interface GivenCluster {
  /** The Redis now running: `restartRedis()` replaces it once the test stopped it. */
  redis: RunningRedis;
  github: CommentKeepingGitHub;
  model: ModelServer;
  /** A replica process on this Redis, GitHub and model, with extra environment; `stop()` kills it. */
  startReplica(env?: Record<string, string>): Promise<Replica>;
  /** Redis started again on its port, as replicas expect it back. */
  restartRedis(): Promise<void>;
  /** Lets the held GitHub answer (see `github.held`). */
  answerGitHub(): void;
  /** Lets the held model answers go (see `model.held`). */
  answerModel(): void;
  /** Releases what is held, kills every replica, then stops GitHub, the model and Redis. */
  stop(): Promise<void>;
}

/** Redis, the comment-keeping GitHub and the scripted model server, for replica processes. */
export async function givenCluster(options: GivenClusterOptions = {}): Promise<GivenCluster> {
  const { held: githubHeld, ...githubOptions } = options.github ?? {};
  const gitHubAnswers = heldUntilCalled();
  const modelAnswers = heldUntilCalled();
  const dir = options.persistentRedis
    ? await mkdtemp(join(tmpdir(), "symphony-redis-"))
    : undefined;
  const redisOptions = dir === undefined ? {} : { dir };
  const [redis, github, model] = await Promise.all([
    startRedis(undefined, redisOptions),
    startCommentKeepingGitHub({
      ...githubOptions,
      ...(githubHeld ? { holdUntil: gitHubAnswers.until } : {}),
    }),
    startModelServer(),
  ]);
  const { answers, held: modelHeld } = options.model ?? {};
  if (answers !== undefined) {
    model.respond(() => ({
      json: answers,
      ...(modelHeld ? { holdUntil: modelAnswers.until } : {}),
    }));
  }
  const replicas: Replica[] = [];
  const cluster: GivenCluster = {
    redis,
    github,
    model,
    startReplica: async (env) => {
      const replica = await startReplica({
        redisUrl: cluster.redis.url,
        githubUrl: github.url,
        modelUrl: model.url,
        ...(env === undefined ? {} : { env }),
      });
      replicas.push(replica);
      return replica;
    },
    restartRedis: async () => {
      cluster.redis = await startRedis(cluster.redis.port, redisOptions);
    },
    answerGitHub: gitHubAnswers.release,
    answerModel: modelAnswers.release,
    stop: async () => {
      gitHubAnswers.release();
      modelAnswers.release();
      for (const replica of replicas) replica.child.kill("SIGKILL");
      await Promise.all(replicas.map((replica) => replica.exited));
      await Promise.all([model.close(), github.close(), cluster.redis.stop()]);
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** A promise that settles once `release` is called; calling it again does nothing. */
function heldUntilCalled(): { until: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const until = new Promise<void>((resolve) => (release = resolve));
  return { until, release };
}
