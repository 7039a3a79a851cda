import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parsePlanRecord } from "../../../src/features/plan/plan-markdown.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import { planReply, scriptFullPlan } from "../../agents/fixtures.js";
import {
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
} from "../../support/github.js";
import { startModelServer, type ModelServer } from "../../support/model-server.js";
import { deliver, GITHUB_API, TEST_BOT_LOGIN, webhookPayload } from "../../support/probot.js";
import {
  agentOf,
  answerEveryAgent,
  blobs,
  capture,
  mockPlanSources,
  MODEL,
  planApp,
  realRuntime,
  REPO_PATH,
  useGitHubMockWithModelServer,
} from "./plan-support.js";
import { givenRepository, givenNewComment } from "../../support/given.js";

useGitHubMockWithModelServer();

let server: ModelServer;
beforeEach(async () => {
  server = await startModelServer({ models: [{ name: MODEL, contextLength: 16_384 }] });
});
afterEach(async () => {
  await server.close();
});

function labeled(name = "symphony") {
  return webhookPayload("issues.labeled", (payload) => {
    payload.label = { ...payload.label!, name };
  });
}

describe("labelling an issue `symphony`", () => {
  it("posts a status comment at once and turns it into the plan the agents wrote", async () => {
    answerEveryAgent(server);
    const { probot, queue } = await planApp(realRuntime(server.url));
    const edited: { body: string }[] = [];
    const scope = givenRepository({ role: "write" });
    const posted = givenNewComment(scope, { id: 700 });
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(edited))
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issues.labeled", labeled());
    // Posted while the run waits for it, not while GitHub waits for the webhook's answer.
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]!.body).toMatch(/^<!-- symphony:plan:1 -->\n\*\*Planning…\*\* queued/);
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(edited).toHaveLength(1);
    const plan = edited[0]!.body;
    expect(
      plan.startsWith("<!-- symphony:plan:1 -->\n## Plan: Welcome first-time contributors"),
    ).toBe(true);
    expect(plan).toContain("| F1 | **Detect first issues**");
    expect(plan).toContain("`src/handlers/issues.ts`");
    expect(plan).toContain("```mermaid\nflowchart TD");
    expect(plan).toContain("- [ ] **T1** Add the welcome message setting");
    expect(plan).toContain("`/symphony deeper`");
    const record = parsePlanRecord(plan);
    expect(record?.tasks?.map((t) => t.task_id)).toEqual(["T1", "T2"]);

    const chats = server.chatRequests();
    expect(chats.map((c) => agentOf(c.body))).toEqual([
      "enhancer",
      "planner-files",
      "feature",
      "planner",
      "coordinator",
      "visualizer",
    ]);
    for (const [i, chat] of chats.entries()) {
      const options = chat.body?.["options"] as { num_ctx: number; num_predict: number };
      const usage = record!.usage[i]!;
      expect(chat.body?.["model"]).toBe(MODEL);
      expect(chat.body?.["format"]).toMatchObject({ type: "object" });
      expect(options.num_ctx).toBe(usage.numCtx);
      // The model's whole window at every step: Ollama reloads the model when num_ctx changes.
      expect(options.num_ctx).toBe(16_384);
      expect(usage.estimatedPromptTokens + options.num_predict).toBeLessThanOrEqual(
        options.num_ctx,
      );
    }
    expect(JSON.stringify(chats[0]!.body?.["messages"])).toContain("Greet first-time contributors");
    expect(JSON.stringify(chats[0]!.body?.["messages"])).toContain("src/handlers/issues.ts");
  });

  it("says in the run details that the model the settings name is one the operator does not allow", async () => {
    answerEveryAgent(server);
    const { probot, queue } = await planApp(realRuntime(server.url), { allowedModels: [MODEL] });
    const edited: { body: string }[] = [];
    const scope = givenRepository({ config: "models:\n  planner: llama3.1:70b\n", role: "write" });
    givenNewComment(scope, { id: 700 });
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(edited))
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    const details = edited[0]!.body.split("<summary>How this was made</summary>")[1];
    expect(details).toContain(
      `- ⚠️ \`models.planner\` names \`llama3.1:70b\`, which the operator does not allow (\`SYMPHONY_ALLOWED_MODELS\`), so \`${MODEL}\` ran instead.`,
    );
    expect(server.chatRequests().map((chat) => chat.body?.["model"])).not.toContain("llama3.1:70b");
  });

  it("does nothing but read the settings when another label is added", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository();

    await deliver(probot, "issues.labeled", labeled("bug"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
  });

  it("plans on the label the repository configured", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime());
    const { probot, queue } = await planApp(runtime);
    const edited: { body: string }[] = [];
    const scope = givenRepository({ config: "label: plan-me\n", role: "write" });
    givenNewComment(scope, { id: 700 });
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(edited))
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issues.labeled", labeled("plan-me"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    // Five agents and the Planner's choice of files to read.
    expect(runtime.calls).toHaveLength(6);
    expect(edited[0]!.body).toContain("## Plan: Welcome first-time contributors");
  });

  it("makes no model call and posts nothing when the sender lacks write access", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository({ role: "read" });

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
  });

  it("ignores a bot that adds the label without a single GitHub call", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);

    await deliver(
      probot,
      "issues.labeled",
      webhookPayload("issues.labeled", (payload) => {
        payload.label = { ...payload.label!, name: "symphony" };
        payload.sender.login = "renovate[bot]";
        payload.sender.type = "Bot";
      }),
    );
    await queue.onIdle();

    expect(runtime.calls).toHaveLength(0);
  });

  it("leaves an issue carrying the skip label alone", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository();

    await deliver(
      probot,
      "issues.labeled",
      webhookPayload("issues.labeled", (payload) => {
        payload.label = { ...payload.label!, name: "symphony" };
        payload.issue.labels = [{ ...payload.label, name: "symphony:skip" }];
      }),
    );
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
  });

  it("answers an invalid config with one comment naming the bad key, and plans nothing", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository({ config: "permission: everyone\n", role: "write" });
    const posted = givenNewComment(scope, { id: 701 });

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toContain("<!-- symphony:config-error:1 -->");
    expect(posted[0]!.body).toContain("`permission`");
  });

  it("runs once and posts one comment when the same webhook is delivered twice", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime());
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository({ role: "write" });
    const posted = givenNewComment(scope, { id: 700 });
    mockPlanSources(scope);
    scope.patch(`${REPO_PATH}/issues/comments/700`).reply(200, issueComment({ id: 700, body: "" }));

    const payload = labeled();
    await deliver(probot, "issues.labeled", payload, "delivery-1");
    await deliver(probot, "issues.labeled", payload, "delivery-1");
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
    // Five agents and the Planner's choice of files to read.
    expect(runtime.calls).toHaveLength(6);
  });

  it("runs once and keeps one comment when the label and `/symphony plan` arrive together", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime());
    const { probot, queue } = await planApp(runtime);
    const posted: { body: string }[] = [];
    const scope = givenRepository();
    mockRepoConfig(scope, undefined);
    mockPermission(scope, "Codertocat", "write");
    mockPermission(scope, "Codertocat", "write");
    const comments: ReturnType<typeof issueComment>[] = [];
    mockIssueComments(scope, 1, []);
    scope.post(`${REPO_PATH}/issues/1/comments`, capture(posted)).reply(201, () => {
      comments.push(issueComment({ id: 700, body: posted[0]!.body, login: TEST_BOT_LOGIN }));
      return issueComment({ id: 700, body: "" });
    });
    mockPlanSources(scope);
    scope.patch(`${REPO_PATH}/issues/comments/700`).reply(200, issueComment({ id: 700, body: "" }));
    // The issue's comments as GitHub keeps them, the status comment once it is posted: the plan
    // run reads them, and so does the second trigger if it comes in before the first run
    // started (else it is ignored at once).
    const listed = nock(GITHUB_API)
      .get(`${REPO_PATH}/issues/1/comments`)
      .query(true)
      .times(2)
      .optionally()
      .reply(200, () => comments);

    await Promise.all([
      deliver(probot, "issues.labeled", labeled()),
      deliver(
        probot,
        "issue_comment.created",
        webhookPayload("issue_comment.created", (payload) => {
          payload.comment.body = "/symphony plan";
        }),
      ),
    ]);
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(listed.activeMocks().length).toBeLessThan(2);
    expect(posted).toHaveLength(1);
    // Five agents and the Planner's choice of files to read.
    expect(runtime.calls).toHaveLength(6);
  });

  it("keeps a 1 MB issue body and a 100,000-entry tree within every call's budget", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime({ promptBudget: 8_192 }));
    const { probot, queue } = await planApp(runtime);
    const edited: { body: string }[] = [];
    const files = Array.from(
      { length: 100_000 },
      (_, i) => `packages/p${i % 50}/src/module-${i}.ts`,
    );
    const scope = givenRepository({ role: "write" });
    givenNewComment(scope, { id: 700 });
    mockPlanSources(scope, {
      body: "The greeting must be friendly. ".repeat(33_000),
      entries: blobs([...files, "src/handlers/issues.ts", "src/config.ts"]),
      truncated: true,
    });
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(edited))
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    // Five agents and the Planner's choice of files to read.
    expect(runtime.calls).toHaveLength(6);
    for (const call of runtime.calls) expect(call.promptTokens).toBeLessThanOrEqual(call.budget);
    expect(runtime.calls[0]!.messages.map((m) => m.content).join("\n")).toContain(
      "The greeting must be friendly.",
    );
    expect(edited[0]!.body).toContain("## Plan:");
    expect(edited[0]!.body).toContain("shortened copy of");
  });

  it("never shows a path the Planner invented as if it were in the repository", async () => {
    const inventing = new MockModelRuntime().script(
      "planner",
      planReply({
        files_to_change: [
          { path: "src/handlers/issues.ts", action: "modify", why: "Greet" },
          { path: "src/magic/wand.ts", action: "modify", why: "Invented" },
        ],
      }),
    );
    scriptFullPlan(inventing);
    const { probot, queue } = await planApp(inventing);
    const edited: { body: string }[] = [];
    const scope = givenRepository({ role: "write" });
    givenNewComment(scope, { id: 700 });
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(edited))
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    const plan = edited[0]!.body;
    const from = plan.indexOf("#### Files to change");
    const filesTable = plan.slice(from, plan.indexOf("\n#", from + 5));
    expect(filesTable).toContain("`src/handlers/issues.ts`");
    expect(filesTable).not.toContain("src/magic/wand.ts");
    expect(plan).toContain("**Checked against the repository:**");
    expect(plan).toContain("src/magic/wand.ts");
  });
});
