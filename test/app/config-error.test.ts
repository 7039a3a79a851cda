import { describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
  useGitHubMock,
} from "../support/github.js";
import {
  createFakeRuntime,
  createTestProbot,
  deliver,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../support/probot.js";

useGitHubMock();

const helpRequest = () =>
  webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony help";
  });

async function symphony() {
  return createTestProbot({
    app: createSymphonyApp({ runtime: createFakeRuntime(), botLogin: TEST_BOT_LOGIN }),
  });
}

describe("an invalid .github/symphony.yml", () => {
  it("gets one reply naming the bad key and the expected value, and nothing else runs", async () => {
    const probot = await symphony();
    const posted: { body: string }[] = [];
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, "permission: everyone\nreview:\n  max_inline_comments: lots\n");
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (body: { body: string }) => {
        posted.push(body);
        return true;
      })
      .reply(201, issueComment({ id: 10, body: "" }));

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatchInlineSnapshot(`
      "<!-- symphony:config-error:1 -->
      Symphony did nothing: \`.github/symphony.yml\` is invalid.

      - \`permission\`: expected one of "read"|"triage"|"write"|"maintain"|"admin"
      - \`review.max_inline_comments\`: expected number, received string

      Fix the file on the default branch and run the command again. Every key, its default and its expected value: docs/configuration.md in Symphony's repository (JSON Schema: docs/schema.json)."
    `);
  });

  it("names a misspelt key as unknown", async () => {
    const probot = await symphony();
    let body = "";
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, "lable: plan-me\n");
    mockPermission(scope, "Codertocat", "admin");
    mockIssueComments(scope, 1, []);
    scope
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (sent: { body: string }) => {
        body = sent.body;
        return true;
      })
      .reply(201, issueComment({ id: 10, body: "" }));

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
    expect(body).toContain("- `lable`: unknown key");
  });

  it("says the file is not YAML when it does not parse", async () => {
    const probot = await symphony();
    let body = "";
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, "label: [unclosed\n");
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (sent: { body: string }) => {
        body = sent.body;
        return true;
      })
      .reply(201, issueComment({ id: 10, body: "" }));

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
    expect(body).toContain("- a YAML mapping of keys (invalid YAML)");
  });

  it("edits its earlier reply instead of posting another", async () => {
    const probot = await symphony();
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, "runner: gpu\n");
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, [
      issueComment({ id: 5, body: "<!-- symphony:config-error:1 -->\nan older complaint" }),
    ]);
    scope
      .patch("/repos/Codertocat/Hello-World/issues/comments/5", (sent: { body: string }) =>
        sent.body.includes("`runner`"),
      )
      .reply(200, issueComment({ id: 5, body: "" }));

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
  });

  it("is not reported to someone without write access", async () => {
    const probot = await symphony();
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, "permission: everyone\n");
    mockPermission(scope, "Codertocat", "read");

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
  });
});
