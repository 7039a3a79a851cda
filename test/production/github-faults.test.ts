// GitHub misbehaving, through Probot with its retry and throttling plugins ON (as in production,
// via SymphonyProbotOctokit) but with millisecond delays: rate limits are waited out with the
// server's delay, 5xx retried, the rest reported; never a duplicate comment, never an unhandled
// rejection.
import Bottleneck from "bottleneck";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import { SymphonyMetrics } from "../../src/app/metrics.js";
import { WorkQueue } from "../../src/app/queue.js";
import { SymphonyProbotOctokit } from "../../src/github/probot-octokit.js";
import { registerCommentCommands } from "../../src/app/comment-commands.js";
import { helpCommand } from "../../src/app/help.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
} from "../support/github.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import {
  createFakeRuntime,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
  type TestOctokit,
} from "../support/probot.js";
import {
  postWebhook,
  probeCommand,
  startSymphonyServer,
  useGitHubMockWithLocalServers,
  type RunningServer,
} from "./harness.js";

useGitHubMockWithLocalServers();

/** Production's Octokit with every wait scaled from seconds to milliseconds. */
const FastOctokit = SymphonyProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { retryAfterBaseValue: 1 },
  throttle: {
    ...(options.throttle as object | undefined),
    retryAfterBaseValue: 1,
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 1 }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 1 }),
  },
})) as unknown as typeof TestOctokit;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on("unhandledRejection", onUnhandled));
afterAll(() => process.off("unhandledRejection", onUnhandled));

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  expect(unhandled).toEqual([]);
});

const COMMENTS = "/repos/Codertocat/Hello-World/issues/1/comments";

async function serve(models = new MockModelRuntime()) {
  const queue = new WorkQueue({ onError: () => undefined });
  const metrics = new SymphonyMetrics();
  running = await startSymphonyServer({
    Octokit: FastOctokit,
    app: createSymphonyApp({
      runtime: createFakeRuntime({ models }),
      botLogin: TEST_BOT_LOGIN,
      commands: [helpCommand, probeCommand()],
      listeners: [registerCommentCommands],
      queue,
      metrics,
    }),
  });
  return { url: running.url, queue, metrics };
}

function command(body: string) {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = body;
  });
}

function readyToReply() {
  const scope = mockInstallationToken(githubApi());
  mockRepoConfig(scope, undefined);
  mockPermission(scope, "Codertocat", "write");
  mockIssueComments(scope, 1, []);
  return scope;
}

describe("rate limits", () => {
  it("waits out a 403 secondary rate limit for the retry-after GitHub gives, then posts once", async () => {
    const { url } = await serve();
    const posted: string[] = [];
    const scope = readyToReply()
      .post(COMMENTS)
      .reply(
        403,
        {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url:
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        },
        { "retry-after": "3" },
      )
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 10, body: "" }));

    const delivery = await postWebhook(url, "issue_comment.created", command("/symphony help"));

    expect(delivery.status).toBe(200);
    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
  });

  it("waits out a 429 the same way, then posts once", async () => {
    const { url } = await serve();
    const posted: string[] = [];
    const scope = readyToReply()
      .post(COMMENTS)
      .reply(
        429,
        { message: "You have exceeded a secondary rate limit and have been temporarily blocked." },
        { "retry-after": "2" },
      )
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 10, body: "" }));

    const delivery = await postWebhook(url, "issue_comment.created", command("/symphony help"));

    expect(delivery.status).toBe(200);
    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
  });

  it("retries a read that hit the primary rate limit after its reset", async () => {
    const { url, metrics } = await serve();
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, undefined);
    scope.get("/repos/Codertocat/Hello-World/collaborators/Codertocat/permission").reply(
      403,
      { message: "API rate limit exceeded for installation ID 2." },
      {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)),
      },
    );
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope.post(COMMENTS).reply(201, issueComment({ id: 10, body: "" }));

    await postWebhook(url, "issue_comment.created", command("/symphony help"));

    expect(scope.isDone()).toBe(true);
    expect(await metrics.render()).not.toContain('symphony_github_api_errors_total{status="403"}');
  });
});

describe("server errors", () => {
  it.each([502, 503])("retries a %i and posts the comment once", async (status) => {
    const { url } = await serve();
    const posted: string[] = [];
    const scope = readyToReply()
      .post(COMMENTS)
      .reply(status, { message: "Server Error" })
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 10, body: "" }));

    const delivery = await postWebhook(url, "issue_comment.created", command("/symphony help"));

    expect(delivery.status).toBe(200);
    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
  });
});

describe("an issue deleted mid-run", () => {
  it("ends the run quietly (404 on the status edit), and the next trigger is served", async () => {
    const models = new MockModelRuntime().script(
      "planner",
      { answer: "first" },
      { answer: "second" },
    );
    const { url, queue, metrics } = await serve(models);
    const scope = readyToReply()
      .post(COMMENTS)
      .reply(201, issueComment({ id: 20, body: "" }));
    let edits = 0;
    const deleted = githubApi()
      .persist()
      .patch("/repos/Codertocat/Hello-World/issues/comments/20", () => ++edits > 0)
      .reply(404, { message: "Not Found" });

    const first = await postWebhook(url, "issue_comment.created", command("/symphony plan"));
    await queue.onIdle();
    expect(scope.isDone()).toBe(true);

    const posted: string[] = [];
    mockRepoConfig(scope, undefined);
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 21, body: "" }))
      .patch("/repos/Codertocat/Hello-World/issues/comments/21")
      .reply(200, issueComment({ id: 21, body: "" }));
    const second = await postWebhook(url, "issue_comment.created", command("/symphony plan"));
    await queue.onIdle();

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(deleted.isDone()).toBe(true);
    // Each of the run's final writes tries the comment once; none posts a new one.
    expect(edits).toBeLessThanOrEqual(6);
    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
    expect(await metrics.render()).toContain('symphony_runs_total{outcome="failed"} 1');
  });
});

describe("a write GitHub refuses as invalid", () => {
  it("reports a 422 once in the thread, without retrying it", async () => {
    const { url } = await serve();
    const posted: string[] = [];
    const scope = readyToReply()
      .post(COMMENTS)
      .reply(422, {
        message: "Validation Failed",
        errors: [{ resource: "IssueComment", code: "custom", field: "body" }],
      });
    mockIssueComments(scope, 1, []);
    scope
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 11, body: "" }));

    await postWebhook(url, "issue_comment.created", command("/symphony help"));

    expect(scope.isDone()).toBe(true);
    expect(posted).toEqual([
      expect.stringContaining("Symphony could not do that: Validation Failed"),
    ]);
  });
});
