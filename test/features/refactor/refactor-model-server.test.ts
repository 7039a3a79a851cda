import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelRuntime, loadRuntimeSettings } from "../../../src/runner/index.js";
import { issueComment, mockIssueComments } from "../../support/github.js";
import { startModelServer, type ModelServer } from "../../support/model-server.js";
import { deliver, webhookPayload } from "../../support/probot.js";
import {
  createRefactorApp,
  issue,
  mockHistory,
  mockIssueSearch,
  PARSER_HISTORY,
  PLANNER_REPLY,
  REPO_PATH,
} from "./github-fixtures.js";
import { useGitHubMockWithModelServer } from "../plan/plan-support.js";
import { givenRepository } from "../../support/given.js";

useGitHubMockWithModelServer();

const MODEL = "qwen2.5-coder:14b";
let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer({ models: [{ name: MODEL, contextLength: 16_384 }] });
});

afterAll(async () => {
  await server.close();
});

describe("/symphony refactor with the Planner on the scripted Ollama server", () => {
  it("sends the hotspot to /api/chat with the reply schema and writes the suggestion", async () => {
    server.enqueue({ json: PLANNER_REPLY });
    const runtime = createModelRuntime(
      loadRuntimeSettings({ OLLAMA_HOST: server.url, SYMPHONY_MODEL: MODEL }),
      { backoff: () => 0 },
    );
    const { probot, queue } = createRefactorApp({ models: runtime });
    const created: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockIssueComments(scope, 1, []);
    scope
      .post(`${REPO_PATH}/issues/1/comments`)
      .reply(201, issueComment({ id: 500, body: "" }))
      .patch(`${REPO_PATH}/issues/comments/500`)
      .reply(200, issueComment({ id: 500, body: "" }));
    mockIssueSearch(scope, []);
    mockHistory(scope, PARSER_HISTORY);
    scope
      .post(`${REPO_PATH}/issues`, (body: { body: string }) => {
        created.push(body.body);
        return true;
      })
      .reply(201, issue({ body: "" }));

    await deliver(
      await probot,
      "issue_comment.created",
      webhookPayload("issue_comment.created", (payload) => {
        payload.comment.body = "/symphony refactor";
      }),
    );
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    const chats = server.chatRequests();
    expect(chats).toHaveLength(1);
    const body = chats[0]!.body!;
    expect(body.model).toBe(MODEL);
    expect(body.format).toMatchObject({ type: "object" });
    expect(body.options).toMatchObject({ num_ctx: expect.any(Number) });
    expect(JSON.stringify(body.messages)).toContain("File: src/parser.ts (typescript, 71 lines)");
    expect(created[0]).toContain("**Deep nesting** in `settle`");
    expect(created[0]).toContain("Move the failure policy out of the loop");
  });
});
