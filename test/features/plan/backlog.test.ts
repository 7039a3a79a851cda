import { describe, expect, it } from "vitest";
import { runPlanPipeline } from "../../../src/agents/conductor/plan.js";
import { backlogFromReply } from "../../../src/agents/feature/backlog-ids.js";
import { featureIssues } from "../../../src/features/plan/backlog-issue.js";
import { renderPlanComment } from "../../../src/features/plan/plan-markdown.js";
import { epicReply, fixtureIssue, fixtureTree, scriptFullPlan } from "../../agents/fixtures.js";
import type { githubApi } from "../../support/github.js";
import { issueComment, mockIssueComments, useGitHubMock } from "../../support/github.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import { deliver, TEST_BOT_LOGIN, webhookPayload } from "../../support/probot.js";
import { capture, planApp, REPO_PATH } from "./plan-support.js";
import { givenRepository, givenNewComment } from "../../support/given.js";

useGitHubMock();

async function planComment() {
  const record = await runPlanPipeline(
    { issue: { ...fixtureIssue(), number: 1 }, tree: fixtureTree() },
    { runtime: scriptFullPlan(new MockModelRuntime()) },
  );
  return issueComment({
    id: 700,
    body: `<!-- symphony:plan:1 -->\n${renderPlanComment(record)}`,
    login: TEST_BOT_LOGIN,
  });
}

function backlogComment() {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony backlog";
  });
}

function subIssue(fields: { id: number; number: number; title: string; body: string }) {
  return {
    ...fields,
    state: "open",
    html_url: `https://github.com/Codertocat/Hello-World/issues/${fields.number}`,
    user: { login: TEST_BOT_LOGIN, type: "Bot" },
  };
}

/** `GET /issues?creator=<bot>`: where issues filed but never linked under the parent are found. */
function mockIssuesCreatedByBot(scope: ReturnType<typeof githubApi>, issues: object[]) {
  scope
    .get(`${REPO_PATH}/issues`)
    .query({ creator: TEST_BOT_LOGIN, state: "all", per_page: "100" })
    .reply(200, issues);
}

describe("/symphony backlog", () => {
  it("files each feature as a sub-issue with its acceptance criteria and story points", async () => {
    const { probot, queue } = await planApp(new MockModelRuntime());
    const created: { title: string; body: string }[] = [];
    const linked: { sub_issue_id: number }[] = [];
    const report: { body: string }[] = [];
    const plan = await planComment();
    const scope = givenRepository({ role: "write" });
    mockIssueComments(scope, 1, [plan]);
    scope
      .post(`${REPO_PATH}/issues/1/comments`, capture(report))
      .reply(201, issueComment({ id: 800, body: "" }));
    mockIssueComments(scope, 1, [plan]);
    scope.get(`${REPO_PATH}/issues/1/sub_issues`).query(true).reply(200, []);
    mockIssuesCreatedByBot(scope, []);
    for (const [i, number] of [11, 12].entries()) {
      scope
        .post(`${REPO_PATH}/issues`, (body: { title: string; body: string }) => {
          created.push(body);
          return true;
        })
        .reply(201, { id: 5000 + i, number, title: "", body: "", state: "open", html_url: "" })
        .post(`${REPO_PATH}/issues/1/sub_issues`, (body: { sub_issue_id: number }) => {
          linked.push(body);
          return true;
        })
        .reply(201, { id: 9001, number: 1 });
    }
    scope
      .patch(`${REPO_PATH}/issues/comments/800`, capture(report))
      .reply(200, issueComment({ id: 800, body: "" }));

    await deliver(probot, "issue_comment.created", backlogComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(created.map((c) => c.title)).toEqual([
      "F1: Detect first issues",
      "F2: Configurable welcome comment",
    ]);
    expect(created[0]!.body).toContain("<!-- symphony:backlog-item:1:F1 -->");
    expect(created[0]!.body).toContain("Part of #1 (`EPIC-1` Welcome first-time contributors)");
    expect(created[0]!.body).toContain("**Story points:** 3");
    expect(created[0]!.body).toContain("- [ ] An author's first issue is recognised");
    // The sub-issues API links by the issue's id, not its number.
    expect(linked).toEqual([{ sub_issue_id: 5000 }, { sub_issue_id: 5001 }]);
    expect(report[0]!.body).toContain("<!-- symphony:backlog:1 -->\n**Filing the backlog…**");
    expect(report[1]!.body).toContain("**Backlog:** 2 sub-issues filed, 0 updated, 0 unchanged.");
    expect(report[1]!.body).toContain("| F1 Detect first issues | #11 | 3 | filed |");
    expect(report[1]!.body).toContain("**Story points in all:** 5");
  });

  it("updates the sub-issues it filed before instead of filing twins", async () => {
    const { probot, queue } = await planApp(new MockModelRuntime());
    const updated: { title: string; body: string }[] = [];
    const report: { body: string }[] = [];
    const plan = await planComment();
    const [f1, f2] = featureIssues(1, backlogFromReply(epicReply(), 1));
    const scope = givenRepository({ role: "write" });
    const earlierReport = issueComment({
      id: 800,
      body: "<!-- symphony:backlog:1 -->\nold report",
      login: TEST_BOT_LOGIN,
    });
    mockIssueComments(scope, 1, [plan, earlierReport]);
    scope
      .patch(`${REPO_PATH}/issues/comments/800`, capture(report))
      .reply(200, issueComment({ id: 800, body: "" }));
    mockIssueComments(scope, 1, [plan, earlierReport]);
    scope
      .get(`${REPO_PATH}/issues/1/sub_issues`)
      .query(true)
      .reply(200, [
        subIssue({ id: 5000, number: 11, title: f1!.title, body: f1!.body }),
        subIssue({
          id: 5001,
          number: 12,
          title: "F2: Old title",
          body: "<!-- symphony:backlog-item:1:F2 -->\nold",
        }),
        subIssue({
          id: 5002,
          number: 13,
          title: "F3: Dropped",
          body: "<!-- symphony:backlog-item:1:F3 -->\ngone",
        }),
        {
          ...subIssue({ id: 5003, number: 14, title: "Filed by hand", body: "" }),
          user: { login: "octocat", type: "User" },
        },
      ]);
    mockIssuesCreatedByBot(scope, [
      subIssue({ id: 5000, number: 11, title: f1!.title, body: f1!.body }),
    ]);
    scope
      .patch(`${REPO_PATH}/issues/12`, (body: { title: string; body: string }) => {
        updated.push(body);
        return true;
      })
      .reply(200, { id: 5001, number: 12 })
      .patch(`${REPO_PATH}/issues/comments/800`, capture(report))
      .reply(200, issueComment({ id: 800, body: "" }));

    await deliver(probot, "issue_comment.created", backlogComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(updated).toEqual([{ title: f2!.title, body: f2!.body }]);
    expect(report[1]!.body).toContain("**Backlog:** 0 sub-issues filed, 1 updated, 1 unchanged.");
    expect(report[1]!.body).toContain("No longer in the plan");
    expect(report[1]!.body).toContain("#13");
    expect(report[1]!.body).not.toContain("#14");
  });

  it("links and updates an issue it filed before whose link under the parent failed, instead of filing a twin", async () => {
    const { probot, queue } = await planApp(new MockModelRuntime());
    const created: { title: string; body: string }[] = [];
    const linked: { sub_issue_id: number }[] = [];
    const updated: { title: string; body: string }[] = [];
    const report: { body: string }[] = [];
    const plan = await planComment();
    const [f1, f2] = featureIssues(1, backlogFromReply(epicReply(), 1));
    const scope = givenRepository({ role: "write" });
    mockIssueComments(scope, 1, [plan]);
    scope
      .post(`${REPO_PATH}/issues/1/comments`, capture(report))
      .reply(201, issueComment({ id: 800, body: "" }));
    mockIssueComments(scope, 1, [plan]);
    // The earlier run created #11 for F1, then GitHub refused the link: the parent lists nothing.
    scope.get(`${REPO_PATH}/issues/1/sub_issues`).query(true).reply(200, []);
    mockIssuesCreatedByBot(scope, [
      subIssue({ id: 5000, number: 11, title: "F1: Old title", body: f1!.body }),
      // The bot's issues for another parent, and its pull requests, are not this backlog's.
      subIssue({
        id: 5009,
        number: 19,
        title: "F1: Other parent",
        body: "<!-- symphony:backlog-item:2:F1 -->",
      }),
      {
        ...subIssue({ id: 5010, number: 20, title: "F2", body: f2!.body }),
        pull_request: { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/20" },
      },
    ]);
    scope
      .post(`${REPO_PATH}/issues/1/sub_issues`, (body: { sub_issue_id: number }) => {
        linked.push(body);
        return true;
      })
      .times(2)
      .reply(201, { id: 9001, number: 1 })
      .patch(`${REPO_PATH}/issues/11`, (body: { title: string; body: string }) => {
        updated.push(body);
        return true;
      })
      .reply(200, { id: 5000, number: 11 })
      .post(`${REPO_PATH}/issues`, (body: { title: string; body: string }) => {
        created.push(body);
        return true;
      })
      .reply(201, { id: 5001, number: 12, title: "", body: "", state: "open", html_url: "" })
      .patch(`${REPO_PATH}/issues/comments/800`, capture(report))
      .reply(200, issueComment({ id: 800, body: "" }));

    await deliver(probot, "issue_comment.created", backlogComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(created.map((c) => c.title)).toEqual([f2!.title]);
    expect(updated).toEqual([{ title: f1!.title, body: f1!.body }]);
    // #11 is linked first, then the newly filed F2.
    expect(linked).toEqual([{ sub_issue_id: 5000 }, { sub_issue_id: 5001 }]);
    expect(report[1]!.body).toContain("**Backlog:** 1 sub-issue filed, 1 updated, 0 unchanged.");
    expect(report[1]!.body).toContain("| F1 Detect first issues | #11 | 3 | updated |");
    expect(report[1]!.body).not.toContain("#19");
  });

  it("says plainly that there is no plan to file yet", async () => {
    const { probot, queue } = await planApp(new MockModelRuntime());
    const scope = givenRepository({ role: "write" });
    const report = givenNewComment(scope, { id: 800 });
    mockIssueComments(scope, 1, []);
    scope
      .patch(`${REPO_PATH}/issues/comments/800`, capture(report))
      .reply(200, issueComment({ id: 800, body: "" }));

    await deliver(probot, "issue_comment.created", backlogComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(report[1]!.body).toContain("**There is no plan on this issue yet**");
  });
});
