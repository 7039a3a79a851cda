// The App's side of `runner: actions`: it posts the status comment, sends one repository_dispatch
// the Action can rebuild the webhook from, and never calls a model itself.
import { describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import { dispatchPayloadSchema } from "../../src/app/hand-off.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
  useGitHubMock,
} from "../support/github.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import {
  createFakeRuntime,
  createTestProbot,
  deliver,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../support/probot.js";
import { WorkQueue } from "../../src/app/queue.js";
import { registerCommentCommands } from "../../src/app/comment-commands.js";
import { planCommands, registerPlanListeners } from "../../src/features/plan/plan.js";

function capture<T>(into: T[]): (body: T) => boolean {
  return (body) => {
    into.push(body);
    return true;
  };
}

useGitHubMock();

const REPO = "/repos/Codertocat/Hello-World";

async function app(models: MockModelRuntime, queue: WorkQueue) {
  return createTestProbot({
    app: createSymphonyApp({
      runtime: createFakeRuntime({ models }),
      botLogin: TEST_BOT_LOGIN,
      queue,
      // The plan feature alone: the other features read the settings on this event too.
      commands: planCommands,
      listeners: [registerCommentCommands, registerPlanListeners],
    }),
  });
}

describe("an App installation with `runner: actions`", () => {
  it("posts the status comment and sends exactly one repository_dispatch, without a model call", async () => {
    const models = new MockModelRuntime();
    const queue = new WorkQueue({ onError: () => undefined });
    const probot = await app(models, queue);
    const posted: { body: string }[] = [];
    const dispatched: { event_type: string; client_payload: unknown }[] = [];
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, "runner: actions\n");
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post(`${REPO}/issues/1/comments`, capture(posted))
      .reply(201, issueComment({ id: 700, body: "" }))
      .post(`${REPO}/dispatches`, capture(dispatched))
      .reply(204);

    await deliver(
      probot,
      "issues.labeled",
      webhookPayload("issues.labeled", (payload) => {
        payload.label = { ...payload.label!, name: "symphony" };
      }),
      "delivery-1",
    );
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatch(/^<!-- symphony:plan:1 -->\n/);
    expect(dispatched).toEqual([
      {
        event_type: "symphony",
        client_payload: {
          event: "issues.labeled",
          number: 1,
          delivery_id: "delivery-1",
          sender: "Codertocat",
        },
      },
    ]);
    expect(dispatchPayloadSchema.safeParse(dispatched[0]!.client_payload).success).toBe(true);
    expect(models.calls).toEqual([]);
  });

  it("sends nothing when the webhook is delivered a second time", async () => {
    const models = new MockModelRuntime();
    const queue = new WorkQueue({ onError: () => undefined });
    const probot = await app(models, queue);
    const dispatched: unknown[] = [];
    const scope = mockInstallationToken(githubApi());
    // The second delivery is recognised before the settings are even read again, as a queued
    // run's redelivery is.
    mockRepoConfig(scope, "runner: actions\n");
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post(`${REPO}/issues/1/comments`)
      .reply(201, issueComment({ id: 700, body: "" }))
      .post(`${REPO}/dispatches`, capture(dispatched))
      .reply(204);
    const payload = webhookPayload("issues.labeled", (event) => {
      event.label = { ...event.label!, name: "symphony" };
    });

    await deliver(probot, "issues.labeled", payload, "delivery-2");
    await deliver(probot, "issues.labeled", payload, "delivery-2");
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(dispatched).toHaveLength(1);
    expect(models.calls).toEqual([]);
  });
});
