import { describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../../src/create-app.js";
import { withMarker } from "../../../src/github/markers.js";
import { statsCommand } from "../../../src/features/plan/stats.js";
import { REVIEW_PROMPT_VERSION } from "../../../src/agents/editor/review.js";
import { renderFindingState } from "../../../src/features/review/finding-state.js";
import { renderPlanComment } from "../../../src/features/plan/plan-markdown.js";
import { PLAN_AGENTS, type PlanAgentName } from "../../../src/agents/registry.js";
import { sampleRecord } from "./sample-record.js";
import { issueComment, mockIssueComments, useGitHubMock } from "../../support/github.js";
import {
  createFakeRuntime,
  createTestProbot,
  deliver,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../../support/probot.js";
import { givenRepository } from "../../support/given.js";

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
    const scope = givenRepository({
      config: `models:\n  conductor: ${BIG}, ${SMALL}\n`,
      role: "write",
    });
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
      .reply(200, [])
      .get("/repos/Codertocat/Hello-World/issues")
      .query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 })
      .reply(200, [])
      .post("/graphql")
      .reply(200, { data: { repository: { pullRequests: { nodes: [] } } } });
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
    const planner = posted[0]!
      .split("**Planner agent** (each rated output: a plan)")[1]!
      .split("\n\n**")[0]!
      .trim();
    expect(planner).toBe(
      [
        "| arm | rated | kept | reward rate | current choice |",
        "| --- | --- | --- | --- | --- |",
        "| `qwen2.5-coder:14b` `planner@2` | 1 | 0 | 0% |  |",
        "| `llama3.2:3b` `planner@2` | 3 | 2 | 67% | ✅ |",
      ].join("\n"),
    );
    expect(posted[0]).toContain("Learning is on");
  });

  it("has a table for the review's Editor, rated from what became of its findings", async () => {
    const runtime = Object.assign(createFakeRuntime(), { allowedModels: () => [BIG, SMALL] });
    const probot = await createTestProbot({
      app: createSymphonyApp({ runtime, botLogin: TEST_BOT_LOGIN, commands: [statsCommand] }),
    });
    const posted: string[] = [];
    const scope = givenRepository({
      config: `models:\n  conductor: ${BIG}, ${SMALL}\n`,
      role: "write",
    });
    const finding = (id: number, model: string, isResolved: boolean, isOutdated: boolean) => ({
      isResolved,
      isOutdated,
      path: "src/app.ts",
      resolvedBy: isResolved ? { login: "Codertocat" } : null,
      comments: {
        nodes: [
          {
            databaseId: id,
            body: `finding\n${renderFindingState({ model, promptVersion: REVIEW_PROMPT_VERSION }, { rule: "bug", title: "t" }, undefined)}`,
            // GraphQL names the bot by its slug.
            author: { __typename: "Bot", login: TEST_BOT_LOGIN.replace("[bot]", "") },
          },
        ],
      },
    });
    scope
      .get("/repos/Codertocat/Hello-World/issues/comments")
      .query(true)
      .reply(200, [])
      .get("/repos/Codertocat/Hello-World/pulls")
      .query(true)
      .reply(200, [])
      .get("/repos/Codertocat/Hello-World/issues")
      .query(true)
      .reply(200, [])
      .post("/graphql")
      .reply(200, {
        data: {
          repository: {
            pullRequests: {
              nodes: [
                {
                  number: 9,
                  headRefOid: "abc",
                  reviewThreads: {
                    nodes: [
                      finding(1, SMALL, true, false),
                      finding(2, SMALL, false, true),
                      finding(3, BIG, false, false),
                    ],
                  },
                },
              ],
            },
          },
        },
      });
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
    const editor = posted[0]!
      .split("**Editor (reviews)** (each rated output: a finding)")[1]!
      .split("\n\n**")[0]!
      .trim();
    expect(editor).toBe(
      [
        "| arm | rated | kept | reward rate | current choice |",
        "| --- | --- | --- | --- | --- |",
        `| \`qwen2.5-coder:14b\` \`${REVIEW_PROMPT_VERSION}\` | 0 | 0 | – |  |`,
        `| \`llama3.2:3b\` \`${REVIEW_PROMPT_VERSION}\` | 1.5 | 1.5 | 100% | ✅ |`,
      ].join("\n"),
    );
  });
});
