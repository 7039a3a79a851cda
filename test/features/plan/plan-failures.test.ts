import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issueComment } from "../../support/github.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import { closedPortUrl, startModelServer, type ModelServer } from "../../support/model-server.js";
import { deliver, webhookPayload } from "../../support/probot.js";
import {
  answerEveryAgent,
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

function labeled() {
  return webhookPayload("issues.labeled", (payload) => {
    payload.label = { ...payload.label!, name: "symphony" };
  });
}

/** GitHub's side of a planning run that gets as far as the models; returns the final body. */
function mockRun(options: { sources?: boolean } = {}) {
  const edited: { body: string }[] = [];
  const scope = givenRepository({ role: "write" });
  givenNewComment(scope, { id: 700 });
  if (options.sources !== false) mockPlanSources(scope);
  scope
    .patch(`${REPO_PATH}/issues/comments/700`, capture(edited))
    .reply(200, issueComment({ id: 700, body: "" }));
  return { scope, edited };
}

describe("when planning fails, the plan comment says what failed and what to do", () => {
  it("names the unreachable model host and asks to check it", async () => {
    const { probot, queue } = await planApp(realRuntime(await closedPortUrl()));
    const { scope, edited } = mockRun();

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    const body = edited[0]!.body;
    expect(body).toContain("**Symphony could not finish the plan.**");
    expect(body).toContain("- **What failed:** step 1 of 5, the Enhancer-Prompt agent.");
    expect(body).toContain("Check that the model host is running and reachable from Symphony");
    expect(body).not.toMatch(/at .*\.ts:\d+/);
    expect(body).not.toContain("## Plan:");
  });

  it("says which model to pull when the host does not have it", async () => {
    const { probot, queue } = await planApp(
      realRuntime(server.url, { SYMPHONY_MODEL: "llama3.1:8b" }),
    );
    const { scope, edited } = mockRun();

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(edited[0]!.body).toContain("`ollama pull llama3.1:8b`");
  });

  it("gives up with a clear message when the model's output stays invalid past the repair budget", async () => {
    answerEveryAgent(server);
    // The Feature agent only ever answers with JSON of the wrong shape.
    server.respond((request) => {
      const format = JSON.stringify(request.body?.["format"] ?? {});
      if (format.includes('"epic"')) return { json: { epic: "not an object", features: [] } };
      if (format.includes("problem_statement")) {
        return {
          json: {
            kind: "feature",
            title: "Welcome first-time issue authors",
            problem_statement: "New contributors get no acknowledgement.",
            enhanced_prompt: "Post a welcome comment.",
            requirements: [],
            constraints: [],
            open_questions: [],
            answer: "",
          },
        };
      }
      return { content: "{" };
    });
    const { probot, queue } = await planApp(realRuntime(server.url));
    const { scope, edited } = mockRun();

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    const body = edited[0]!.body;
    expect(body).toContain("- **What failed:** step 2 of 5, the Feature agent.");
    expect(body).toContain("did not fit the expected shape even after repairs");
    expect(body).not.toContain("not an object");
    // The Feature agent's first try and the runtime's two repair rounds, then no more.
    const feature = server
      .chatRequests()
      .filter((chat) => JSON.stringify(chat.body?.["format"] ?? {}).includes('"epic"'));
    expect(feature).toHaveLength(3);
  });

  it("says the repository is empty when GitHub has no tree to give", async () => {
    const runtime = new MockModelRuntime();
    const { probot, queue } = await planApp(runtime);
    const { scope, edited } = mockRun({ sources: false });
    scope
      .get(`${REPO_PATH}/issues/1`)
      .reply(200, { number: 1, title: "t", body: "b", labels: [], state: "open" })
      .get(`${REPO_PATH}/issues/1/comments`)
      .query(true)
      .reply(200, [])
      .get(REPO_PATH)
      .reply(200, { default_branch: "main" })
      .get(`${REPO_PATH}/branches/main`)
      .reply(409, { message: "Git Repository is empty." });

    await deliver(probot, "issues.labeled", labeled());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(runtime.calls).toHaveLength(0);
    expect(edited[0]!.body).toContain("the repository is empty (409); push a first commit");
  });
});
