// One App replica as a child process, for the cluster tests and the cluster bench: Probot's real
// server with Symphony's cluster wiring (REDIS_URL), the probe command, GitHub at GITHUB_URL and
// the model at OLLAMA_HOST. Prints "listening <port>" once it takes deliveries.
import { Probot, Server } from "probot";
import { createReplica } from "../../src/app/cluster/cluster-queue.js";
import { stopReplicaOnTermination } from "../../src/app/cluster/cluster-shutdown.js";
import { readClusterSettings } from "../../src/app/cluster/redis-settings.js";
import { createSymphonyApp } from "../../src/create-app.js";
import { SymphonyMetrics } from "../../src/app/metrics.js";
import { SymphonyProbotOctokit } from "../../src/github/probot-octokit.js";
import { registerCommentCommands } from "../../src/app/comment-commands.js";
import { createModelRuntime, loadRuntimeSettings } from "../../src/runner/index.js";
import { probeCommand } from "../production/probe-command.js";
import { TestOctokit } from "../support/test-octokit.js";

const env = process.env;
const settings = readClusterSettings(env);
if (settings === undefined) throw new Error("replica-process needs REDIS_URL");
const privateKey = env.PRIVATE_KEY ?? "";
const log = new Probot({
  appId: 1,
  privateKey,
  logLevel: (env.LOG_LEVEL ?? "fatal") as "fatal",
  logFormat: env.LOG_FORMAT === "json" ? "json" : "pretty",
}).log;
const server = new Server({
  host: "127.0.0.1",
  port: Number(env.PORT ?? 0),
  log,
  enableStaticFiles: false,
  Probot: Probot.defaults({
    appId: 1,
    privateKey,
    secret: env.WEBHOOK_SECRET ?? "",
    baseUrl: env.GITHUB_URL ?? "",
    // THROTTLE=on: production's Octokit, its write throttling shared through Redis as Probot does.
    ...(env.THROTTLE === "on"
      ? { Octokit: SymphonyProbotOctokit, redisConfig: settings.url }
      : { Octokit: TestOctokit }),
    log,
  }),
});
const runtime = createModelRuntime(loadRuntimeSettings(env));
await server.load((app, options) => {
  const replica = createReplica(app, settings);
  stopReplicaOnTermination(
    replica.deliveries,
    replica.queue,
    app.log,
    Number(env.SYMPHONY_SHUTDOWN_GRACE_MS ?? 25_000),
  );
  return createSymphonyApp({
    runtime,
    botLogin: "symphony[bot]",
    commands: [probeCommand()],
    listeners: [registerCommentCommands],
    replica,
    metrics: new SymphonyMetrics(),
  })(app, options);
});
await server.start();
process.stdout.write(`listening ${server.port}\n`);
