// The Action's orchestration: inputs, the model host, then the App's own handlers fed the
// workflow's event through a token-authenticated Probot, and the queue run to the end.
import { randomUUID } from "node:crypto";
import * as core from "@actions/core";
import { Probot, ProbotOctokit } from "probot";
import { createSymphonyApp } from "../create-app.js";
import { WorkQueue } from "../app/queue.js";
import { drainOnTermination } from "../app/shutdown.js";
import type { AppServices } from "../app/services.js";
import { loadRepoConfig } from "../config/load.js";
import { tokenLogin } from "../github/app-identity.js";
import { repositoryConfigSource } from "../github/config-file.js";
import type { RepoRef } from "../github/client.js";
import { listeners } from "../features/index.js";
import type { RefreshResult } from "../features/refactor/refactor-run.js";
import { createModelRuntime, loadRuntimeSettings } from "../runner/index.js";
import { createActionsLogger } from "./actions-log.js";
import { rebuildDispatchedEvent } from "./dispatched-event.js";
import { GitHubWrites } from "./github-writes.js";
import { DEFAULT_CONFIG_PATH, readInputs, runtimeEnvironment } from "./inputs.js";
import { ensureModelHost } from "./model-host.js";
import { refreshRefactorSuggestions } from "./refactor-refresh.js";
import { UsageTotals } from "./usage-totals.js";
import { readWorkflowEvent, type WorkflowEvent } from "./workflow-event.js";

/** What the run did, for the verdict, the outputs and the job summary. */
export interface ActionResult {
  /** "issue_comment.created on #1", "schedule", … */
  event: string;
  /** Where models ran: "ollama http://… model …". */
  models: string;
  writes: GitHubWrites;
  usage: UsageTotals;
  /** Sentences for everything that went wrong after the handlers started. */
  failures: string[];
  /** Whether the event was work the Action was asked for (a dispatch, a schedule). */
  expected: boolean;
  /** The refactor refresh's result, on `schedule` and `workflow_dispatch`. */
  refresh?: RefreshResult;
}

type ActionOctokit = InstanceType<typeof ProbotOctokit>;

/** Probot's client with rate-limit waits bounded: a job that sleeps for an hour helps nobody. */
const ActionOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...(options["throttle"] as object | undefined),
    onRateLimit: retryTwice("primary"),
    onSecondaryRateLimit: retryTwice("secondary"),
  },
}));

export async function main(env: NodeJS.ProcessEnv): Promise<ActionResult> {
  const inputs = readInputs();
  const event = await readWorkflowEvent(env);
  const settings = loadRuntimeSettings(runtimeEnvironment(inputs, env));
  const log = createActionsLogger();
  const usage = new UsageTotals();
  const runtime = createModelRuntime(settings, {
    logger: log.child({ name: "symphony:models" }),
    onUsage: usage.add,
  });
  core.info(`Symphony will use ${runtime.describe()}.`);
  await core.group("Model host", () =>
    ensureModelHost(runtime, settings, {
      waitSeconds: inputs.waitForOllamaSeconds,
      pullModel: inputs.pullModel,
    }),
  );

  const probot = new Probot({
    githubToken: inputs.githubToken,
    baseUrl: env["GITHUB_API_URL"] || "https://api.github.com",
    Octokit: ActionOctokit,
    log,
  });
  const octokit = (await probot.auth()) as ActionOctokit;
  const writes = new GitHubWrites();
  writes.watch(octokit);
  if (inputs.configPath !== DEFAULT_CONFIG_PATH)
    readConfigFrom(octokit, event.repo, inputs.configPath);

  const failures: string[] = [];
  const queue = new WorkQueue({
    onError: (error, job) => {
      failures.push(`${job.key}: ${messageOf(error)}`);
      log.error({ err: error, job: job.key }, "the run failed");
    },
  });
  drainOnTermination(queue, log);
  let services: AppServices | undefined;
  const botLogin = inputs.botLogin || (await identify(octokit));
  await probot.load(
    createSymphonyApp({
      runtime,
      queue,
      mode: "action",
      botLogin,
      listeners: [(_app, given) => void (services = given), ...listeners],
    }),
  );
  const result: ActionResult = {
    event: describeEvent(event),
    models: runtime.describe(),
    writes,
    usage,
    failures,
    expected: event.kind !== "webhook",
  };
  await core.group(`Symphony on ${result.event}`, async () => {
    try {
      await handle(event, { probot, octokit, queue, services: services!, env, result });
    } catch (error) {
      failures.push(messageOf(error));
    }
    await queue.onIdle();
  });
  return result;
}

interface Handling {
  probot: Probot;
  octokit: ActionOctokit;
  queue: WorkQueue;
  services: AppServices;
  env: NodeJS.ProcessEnv;
  result: ActionResult;
}

async function handle(event: WorkflowEvent, handling: Handling): Promise<void> {
  const { probot, octokit, env } = handling;
  switch (event.kind) {
    case "webhook":
      return receive(probot, event.name, event.payload, runId(env));
    case "dispatch": {
      const config = await loadRepoConfig(repositoryConfigSource(octokit, event.repo));
      const rebuilt = await rebuildDispatchedEvent(octokit, event.repo, event.dispatch, config);
      return receive(probot, rebuilt.name, rebuilt.payload, event.dispatch.delivery_id);
    }
    case "refresh": {
      const config = await loadRepoConfig(repositoryConfigSource(octokit, event.repo));
      return refreshRefactorSuggestions({
        client: octokit,
        repo: event.repo,
        config,
        services: handling.services,
        queue: handling.queue,
        trigger: event.trigger,
        onResult: (refresh) => void (handling.result.refresh = refresh),
      });
    }
  }
}

async function receive(probot: Probot, name: string, payload: object, id: string): Promise<void> {
  await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
}

/** The bot whose comments are Symphony's: the token's own identity, as GraphQL's viewer names it. */
async function identify(octokit: ActionOctokit): Promise<string> {
  try {
    return await tokenLogin(octokit);
  } catch (error) {
    core.debug(
      `Could not ask GitHub who the token is (${messageOf(error)}); assuming github-actions[bot].`,
    );
    return "github-actions[bot]";
  }
}

/** `config-path`: the handlers ask for `.github/symphony.yml`; this repository keeps it elsewhere. */
function readConfigFrom(octokit: ActionOctokit, repo: RepoRef, path: string): void {
  octokit.hook.before("request", (options) => {
    if (
      options.url === "/repos/{owner}/{repo}/contents/{path}" &&
      options["path"] === DEFAULT_CONFIG_PATH &&
      options["owner"] === repo.owner &&
      options["repo"] === repo.repo
    ) {
      options["path"] = path;
    }
  });
}

function describeEvent(event: WorkflowEvent): string {
  switch (event.kind) {
    case "webhook": {
      const action = event.payload["action"];
      const number = numberOf(event.payload);
      return `${event.name}${typeof action === "string" ? `.${action}` : ""}${number === undefined ? "" : ` on #${number}`}`;
    }
    case "dispatch":
      return `${event.dispatch.event} on #${event.dispatch.number} (handed over by the App)`;
    case "refresh":
      return event.trigger === "schedule"
        ? "schedule (refactor suggestions)"
        : "workflow_dispatch (refactor suggestions)";
  }
}

function numberOf(payload: Record<string, unknown>): number | undefined {
  for (const key of ["issue", "pull_request"]) {
    const item = payload[key];
    if (
      typeof item === "object" &&
      item !== null &&
      "number" in item &&
      typeof item.number === "number"
    ) {
      return item.number;
    }
  }
  return undefined;
}

function runId(env: NodeJS.ProcessEnv): string {
  const run = env["GITHUB_RUN_ID"];
  return run === undefined ? randomUUID() : `${run}-${env["GITHUB_RUN_ATTEMPT"] ?? "1"}`;
}

function retryTwice(kind: string) {
  return (
    retryAfter: number,
    options: { method: string; url: string },
    _octokit: unknown,
    retryCount: number,
  ) => {
    const retrying = retryCount < 2;
    core.warning(
      `GitHub ${kind} rate limit on ${options.method} ${options.url}: ${retrying ? `retrying in ${retryAfter} s` : "giving up"}.`,
    );
    return retrying;
  };
}

export function messageOf(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(messageOf).join("; ");
  return error instanceof Error ? error.message : String(error);
}
