import { describe, expect, it } from "vitest";
import type { PlanRecord } from "../../../src/agents/conductor/plan-record.js";
import { parsePlanRecord, renderPlanComment } from "../../../src/features/plan/plan-markdown.js";
import { ModelUnavailableError } from "../../../src/runner/errors.js";
import { runPlanPipeline } from "../../../src/agents/conductor/plan.js";
import { fixtureIssue, fixtureTree, scriptFullPlan } from "../../agents/fixtures.js";
import { issueComment, mockIssueComments, useGitHubMock } from "../../support/github.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import { deliver, TEST_BOT_LOGIN, webhookPayload } from "../../support/probot.js";
import { capture, mockPlanSources, planApp, REPO_PATH } from "./plan-support.js";
import { givenRepository, givenNewComment } from "../../support/given.js";

useGitHubMock();

function comment(body: string, tweak: (p: ReturnType<typeof base>) => void = () => undefined) {
  const payload = base(body);
  tweak(payload);
  return payload;
}

function base(body: string) {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = body;
  });
}

/** A plan comment as an earlier run left it, with its record hidden inside. */
async function earlierPlan(): Promise<{ body: string; record: PlanRecord }> {
  const record = await runPlanPipeline(
    { issue: { ...fixtureIssue(), number: 1 }, tree: fixtureTree() },
    { runtime: scriptFullPlan(new MockModelRuntime()) },
  );
  return { body: `<!-- symphony:plan:1 -->\n${renderPlanComment(record)}`, record };
}

describe("/symphony plan", () => {
  it("plans the issue for a collaborator with write access", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime());
    const { probot, queue } = await planApp(runtime);
    const edited: { body: string }[] = [];
    const scope = givenRepository({ role: "write" });
    const posted = givenNewComment(scope, { id: 700 });
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(edited))
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issue_comment.created", comment("/symphony plan"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(posted[0]!.body).toContain("<!-- symphony:plan:1 -->\n**Planning…**");
    expect(runtime.calls.map((c) => c.agent)).toEqual([
      "enhancer",
      "planner",
      "feature",
      "planner",
      "coordinator",
      "visualizer",
    ]);
    expect(parsePlanRecord(edited[0]!.body)?.mode).toBe("plan");
  });

  it("makes no model call and posts nothing for someone who is not a collaborator", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository({ role: "none" });

    await deliver(probot, "issue_comment.created", comment("/symphony plan"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
  });

  it("ignores the command in a bot's comment without a single GitHub call", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);

    await deliver(
      probot,
      "issue_comment.created",
      comment("/symphony plan", (payload) => {
        payload.sender.login = "dependabot[bot]";
        payload.sender.type = "Bot";
        payload.comment.user!.type = "Bot";
      }),
    );
    await queue.onIdle();

    expect(runtime.calls).toHaveLength(0);
  });

  it("re-plans with the user's change, building on the previous plan", async () => {
    const previous = await earlierPlan();
    const runtime = scriptFullPlan(new MockModelRuntime());
    const { probot, queue } = await planApp(runtime);
    const statuses: { body: string }[] = [];
    const scope = givenRepository({ role: "write" });
    const stored = issueComment({ id: 700, body: previous.body, login: TEST_BOT_LOGIN });
    mockIssueComments(scope, 1, [stored]);
    mockIssueComments(scope, 1, [stored]);
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(statuses))
      .times(2)
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(
      probot,
      "issue_comment.created",
      comment("/symphony plan Use a GitHub Action instead of the app\nAnd skip bots."),
    );
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    // While it runs the previous plan stays in the comment, hidden, so a failure cannot lose it.
    expect(statuses[0]!.body).toContain("**Planning…** queued");
    expect(parsePlanRecord(statuses[0]!.body)).toEqual(previous.record);
    const planner = runtime
      .callsFor("planner")[0]!
      .messages.map((m) => m.content)
      .join("\n");
    expect(planner).toContain("Use a GitHub Action instead of the app\nAnd skip bots.");
    const record = parsePlanRecord(statuses[1]!.body);
    expect(record?.mode).toBe("refine");
    expect(record?.change_request).toBe("Use a GitHub Action instead of the app\nAnd skip bots.");
    expect(statuses[1]!.body).toContain("_Re-planned with your change:_");
  });

  it("keeps the previous plan readable below the failure when re-planning fails", async () => {
    const previous = await earlierPlan();
    const runtime = new MockModelRuntime().script(
      "enhancer",
      new ModelUnavailableError("the model host did not answer", "http://127.0.0.1:11434"),
    );
    const { probot, queue } = await planApp(runtime);
    const statuses: { body: string }[] = [];
    const scope = givenRepository({ role: "write" });
    const stored = issueComment({ id: 700, body: previous.body, login: TEST_BOT_LOGIN });
    mockIssueComments(scope, 1, [stored]);
    mockIssueComments(scope, 1, [stored]);
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(statuses))
      .times(2)
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issue_comment.created", comment("/symphony plan skip bots"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    const body = statuses[1]!.body;
    expect(body).toContain("- **What failed:** step 1 of 5, the Enhancer-Prompt agent.");
    expect(body).toContain("_The plan as it was before this run:_");
    expect(body).toContain("## Plan: Welcome first-time contributors");
    expect(parsePlanRecord(body)).toEqual(previous.record);
  });

  it("says plainly that there is no plan yet when asked to change one", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository({ role: "write" });
    mockIssueComments(scope, 1, []);
    const posted = givenNewComment(scope, { id: 700 });

    await deliver(probot, "issue_comment.created", comment("/symphony plan drop the config"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
    expect(posted[0]!.body).toMatchInlineSnapshot(`
      "<!-- symphony:plan:1 -->
      **There is no plan on this issue yet**, so there is nothing to build on.

      Comment \`/symphony plan\` (or add the label \`symphony\`) to make one, then \`/symphony plan <what to change>\`."
    `);
  });
});

describe("/symphony deeper", () => {
  it("expands each feature into subtasks with one Feature agent call", async () => {
    const previous = await earlierPlan();
    const runtime = new MockModelRuntime().script("feature", {
      features: [
        {
          title: "Detect first issues",
          subtasks: [
            {
              title: "Count the author's issues",
              technical_requirements: ["src/handlers/issues.ts: search API"],
              estimated_hours: 2,
              assignee_type: "agent",
            },
          ],
        },
      ],
    });
    const { probot, queue } = await planApp(runtime);
    const statuses: { body: string }[] = [];
    const scope = givenRepository({ role: "write" });
    const stored = issueComment({ id: 700, body: previous.body, login: TEST_BOT_LOGIN });
    mockIssueComments(scope, 1, [stored]);
    mockIssueComments(scope, 1, [stored]);
    mockPlanSources(scope);
    scope
      .patch(`${REPO_PATH}/issues/comments/700`, capture(statuses))
      .times(2)
      .reply(200, issueComment({ id: 700, body: "" }));

    await deliver(probot, "issue_comment.created", comment("/symphony deeper"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls.map((c) => c.agent)).toEqual(["feature"]);
    const body = statuses[1]!.body;
    expect(body).toContain("_Features expanded into subtasks._");
    expect(body).toContain("| F1 | F1.1 Count the author's issues | 2 |");
    const record = parsePlanRecord(body);
    expect(record?.mode).toBe("deeper");
    expect(record?.tasks).toEqual(previous.record.tasks);
  });

  it("says plainly that there is no plan to look deeper into yet", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const scope = givenRepository({ role: "write" });
    mockIssueComments(scope, 1, []);
    const posted = givenNewComment(scope, { id: 700 });

    await deliver(probot, "issue_comment.created", comment("/symphony deeper"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
    expect(posted[0]!.body).toContain("**There is no plan on this issue yet**");
    expect(posted[0]!.body).toContain("then `/symphony deeper`.");
  });
});
