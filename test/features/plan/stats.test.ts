import { describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../../src/create-app.js";
import { withMarker } from "../../../src/github/markers.js";
import { statsCommand } from "../../../src/features/plan/stats.js";
import { renderPlanComment } from "../../../src/features/plan/plan-markdown.js";
import { PLAN_AGENTS, type PlanAgentName } from "../../../src/agents/registry.js";
import { sampleRecord } from "./sample-record.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
  useGitHubMock,
} from "../../support/github.js";
import {
  createFakeRuntime,
  createTestProbot,
  deliver,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../../support/probot.js";

useGitHubMock();

const BIG = "qwen2.5-coder:14b";
const SMALL = "llama3.2:3b";

function planComment(issue: number, model: string, plusOne: number, minusOne: number) {
  const record = sampleRecord({ issue_number: issue });
  // Today's prompts, so the evidence counts for today's arms.
  record.usage = record.usage.map((usage) => ({
    ...usage,
    model,
    promptVersion: PLAN_AGENTS[usage.agent as PlanAgentName].promptVersion,
  }));
  return {
    id: issue,
    body: withMarker(renderPlanComment(record), { kind: "plan", key: String(issue) }),
    user: { login: TEST_BOT_LOGIN, type: "Bot" },
    reactions: { "+1": plusOne, "-1": minusOne },
  };
}

describe("/symphony stats", () => {
  it("answers with a table per agent: arms, runs rated, kept, reward rate, current choice", async () => {
    const runtime = Object.assign(createFakeRuntime(), { allowedModels: () => [BIG, SMALL] });
    const probot = await createTestProbot({
      app: createSymphonyApp({ runtime, botLogin: TEST_BOT_LOGIN, commands: [statsCommand] }),
    });
    const posted: string[] = [];
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, `models:\n  conductor: ${BIG}, ${SMALL}\n`);
    mockPermission(scope, "Codertocat", "write");
    scope
      .get("/repos/Codertocat/Hello-World/issues/comments")
      .query(true)
      .reply(200, [
        planComment(1, SMALL, 1, 0),
        planComment(2, SMALL, 1, 0),
        planComment(3, SMALL, 0, 1),
        planComment(4, BIG, 0, 2),
      ])
      .get("/repos/Codertocat/Hello-World/pulls")
      .query(true)
      .reply(200, []);
    mockIssueComments(scope, 1, []);
    scope
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (body: { body: string }) => {
        posted.push(body.body);
        return true;
      })
      .reply(201, issueComment({ id: 10, body: "" }));

    await deliver(
      probot,
      "issue_comment.created",
      webhookPayload("issue_comment.created", (payload) => {
        payload.comment.body = "/symphony stats";
      }),
    );

    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
    const planner = posted[0]!.split("**Planner agent**")[1]!.split("\n\n**")[0]!.trim();
    expect(planner).toBe(
      [
        "| arm | runs rated | kept | reward rate | current choice |",
        "| --- | --- | --- | --- | --- |",
        "| `qwen2.5-coder:14b` `planner@2` | 1 | 0 | 0% |  |",
        "| `llama3.2:3b` `planner@2` | 3 | 2 | 67% | ✅ |",
      ].join("\n"),
    );
    expect(posted[0]).toContain("Learning is on");
  });
});
