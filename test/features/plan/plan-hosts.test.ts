import { afterEach, describe, expect, it } from "vitest";
import { registerCommentCommands } from "../../../src/app/comment-commands.js";
import { helpCommand } from "../../../src/app/help.js";
import { WorkQueue } from "../../../src/app/queue.js";
import { createSymphonyApp } from "../../../src/create-app.js";
import { planCommands, registerPlanListeners } from "../../../src/features/plan/plan.js";
import { ManualClock } from "../../../src/lib/clock.js";
import {
  createModelRuntime,
  loadRuntimeSettings,
  type SymphonyRuntime,
} from "../../../src/runner/index.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
} from "../../support/github.js";
import { startModelServer, type ModelServer } from "../../support/model-server.js";
import {
  createTestProbot,
  deliver,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../../support/probot.js";
import {
  capture,
  fixtureReplyFor,
  mockPlanSources,
  MODEL,
  REPO_PATH,
  useGitHubMockWithModelServer,
} from "./plan-support.js";

useGitHubMockWithModelServer();

const servers: ModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function host(options: Parameters<typeof startModelServer>[0] = {}): Promise<ModelServer> {
  const server = await startModelServer({
    models: [{ name: MODEL, contextLength: 16_384 }],
    ...options,
  });
  servers.push(server);
  return server;
}

/** Answers every planning agent, after `ms` (a slower GPU). */
function answerAfter(server: ModelServer, ms: number): void {
  server.respond((request) => {
    const reply = fixtureReplyFor(request);
    return reply === undefined ? undefined : { json: reply, headerDelayMs: ms };
  });
}

/** The whole App (plan listeners and commands) on the real runtime, with its own queue. */
async function appOver(runtime: SymphonyRuntime) {
  const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
  const queue = new WorkQueue({ onError: () => undefined, clock });
  const probot = await createTestProbot({
    app: createSymphonyApp({
      runtime,
      botLogin: TEST_BOT_LOGIN,
      queue,
      clock,
      commands: [...planCommands, helpCommand],
      listeners: [registerCommentCommands, registerPlanListeners],
    }),
  });
  return { probot, queue };
}

/** GitHub's side of one plan run on issue `n`: one status comment, edited into the plan. */
function expectPlanRun(scope: ReturnType<typeof githubApi>, n: number) {
  const posted: { body: string }[] = [];
  const edited: { body: string }[] = [];
  mockRepoConfig(scope, undefined);
  mockPermission(scope, "Codertocat", "write");
  mockIssueComments(scope, n, []);
  scope
    .post(`${REPO_PATH}/issues/${n}/comments`, capture(posted))
    .reply(201, issueComment({ id: 700 + n, body: "" }));
  mockPlanSources(scope, { issueNumber: n });
  scope
    .patch(`${REPO_PATH}/issues/comments/${700 + n}`, capture(edited))
    .reply(200, issueComment({ id: 700 + n, body: "" }));
  return { posted, edited };
}

function labeled(n: number) {
  return webhookPayload("issues.labeled", (payload) => {
    payload.label = { ...payload.label!, name: "symphony" };
    payload.issue.number = n;
  });
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("plans over three model hosts", () => {
  it("finishes every plan with one comment though a host dies mid-run and one lacks the model, and uses the dead host again once it is back", async () => {
    const flaky = await host();
    const fast = await host();
    const bare = await host({ models: [{ name: "llama3.2:3b" }] });
    const neverAnswers = gate();
    flaky.respond(() => ({ content: "lost", holdUntil: neverAnswers.promise }));
    answerAfter(fast, 0);
    answerAfter(bare, 0);
    const runtime = createModelRuntime(
      loadRuntimeSettings({
        SYMPHONY_MODEL_HOSTS: [flaky, fast, bare].map((s) => `${s.url}#parallel=1`).join(","),
        SYMPHONY_MODEL: MODEL,
      }),
      { backoff: () => 0 },
    );
    const { probot, queue } = await appOver(runtime);
    const scope = mockInstallationToken(githubApi());
    const firstRuns = [1, 2, 3].map((n) => expectPlanRun(scope, n));

    for (const n of [1, 2, 3]) await deliver(probot, "issues.labeled", labeled(n));
    // The first call of the first plan is on the flaky host when it dies.
    await flaky.waitForChatRequests(1);
    const port = Number(new URL(flaky.url).port);
    await flaky.close();
    servers.splice(servers.indexOf(flaky), 1);
    await queue.onIdle();

    for (const run of firstRuns) {
      expect(run.posted).toHaveLength(1);
      expect(run.edited).toHaveLength(1);
      expect(run.edited[0]!.body).toContain("## Plan: Welcome first-time contributors");
    }
    expect(runtime.hosts()[0]).toMatchObject({ up: false, failures: 1 });
    // Its details name each agent's model and why, though nothing is learned here.
    const chosen = firstRuns[0]!.edited[0]!.body.split("\n").filter((line) =>
      line.startsWith("- The Conductor chose"),
    );
    expect(chosen).toHaveLength(5);
    expect(chosen[0]).toBe(
      "- The Conductor chose `qwen2.5-coder:14b` (`enhancer@2`) for the Enhancer-Prompt agent: learning is off (models.conductor): the operator's default model.",
    );

    // Back where it was, slower than the other host; the background check sees it answer.
    const back = await host({ port });
    answerAfter(back, 20);
    await runtime.health();
    expect(runtime.hosts()[0]).toMatchObject({ up: true });
    const fastBefore = fast.chatRequests().length;
    const laterRuns = [4, 5].map((n) => expectPlanRun(scope, n));
    for (const n of [4, 5]) await deliver(probot, "issues.labeled", labeled(n));
    await queue.onIdle();

    for (const run of laterRuns) {
      expect(run.posted).toHaveLength(1);
      expect(run.edited[0]!.body).toContain("## Plan: Welcome first-time contributors");
    }
    // Two plans at once, one slot per host: both live hosts took calls.
    expect(back.chatRequests().length).toBeGreaterThan(0);
    expect(fast.chatRequests().length).toBeGreaterThan(fastBefore);
    // The host without the model is asked at most once (before its list is known), never again.
    expect(bare.chatRequests().length).toBeLessThanOrEqual(1);
    expect(scope.isDone()).toBe(true);
    neverAnswers.open();
  });
});
