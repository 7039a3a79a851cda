import { describe, expect, it } from "vitest";
import { issueComment, mockIssueComments, useGitHubMock } from "../support/github.js";
import { deliver, webhookPayload } from "../support/probot.js";
import { givenApp, givenRepository, givenNewComment } from "../support/given.js";

useGitHubMock();

const helpRequest = () =>
  webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony help";
  });

describe("an invalid .github/symphony.yml", () => {
  it("gets one reply naming the bad key and the expected value, and nothing else runs", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({
      config: "permission: everyone\nreview:\n  max_inline_comments: lots\n",
      role: "write",
    });
    const posted = givenNewComment(scope);

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
    const { probot } = await givenApp();
    const scope = givenRepository({ config: "lable: plan-me\n", role: "admin" });
    const posted = givenNewComment(scope);

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
    expect(posted[0]!.body).toContain("- `lable`: unknown key");
  });

  it("says the file is not YAML when it does not parse", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ config: "label: [unclosed\n", role: "write" });
    const posted = givenNewComment(scope);

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
    expect(posted[0]!.body).toContain("- a YAML mapping of keys (invalid YAML)");
  });

  it("edits its earlier reply instead of posting another", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ config: "runner: gpu\n", role: "write" });
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
    const { probot } = await givenApp();
    const scope = givenRepository({ config: "permission: everyone\n", role: "read" });

    await deliver(probot, "issue_comment.created", helpRequest());

    expect(scope.isDone()).toBe(true);
  });
});
