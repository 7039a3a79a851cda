import { describe, expect, it } from "vitest";
import { helpCommand } from "../../src/app/help.js";
import { issueComment, mockIssueComments, useGitHubMock } from "../support/github.js";
import { deliver, TEST_BOT_LOGIN, webhookPayload } from "../support/probot.js";
import { givenApp, givenRepository, givenNewComment } from "../support/given.js";

useGitHubMock();

function helpComment(tweak: (payload: ReturnType<typeof comment>) => void = () => undefined) {
  const payload = comment("/symphony help");
  tweak(payload);
  return payload;
}

function comment(body: string) {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = body;
  });
}

describe("/symphony help", () => {
  it("answers a collaborator with write access with the list of commands", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ role: "write" });
    const posted = givenNewComment(scope);

    await deliver(probot, "issue_comment.created", helpComment());

    expect(scope.isDone()).toBe(true);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatchInlineSnapshot(`
      "<!-- symphony:help:492700400 -->
      **Symphony commands** (comment on an issue or pull request):

      | command | what it does |
      | --- | --- |
      | \`/symphony plan [what to change]\` | Plan this issue (EPIC, design, diagram, tasks); with text, re-plan applying your changes. |
      | \`/symphony deeper\` | Expand each feature of the plan into subtasks with hours and technical requirements. |
      | \`/symphony backlog\` | File the plan's features as sub-issues of this issue; run again to update them. |
      | \`/symphony implement\` | Implement the issue's plan as commits on a branch and a draft pull request (plans first when there is no plan). |
      | \`/symphony review\` | Review this pull request again, the whole diff. |
      | \`/symphony ask <question>\` | Answer a question about this pull request from its diff. |
      | \`/symphony refactor\` | Rank hotspots and refresh the rolling issue of refactor suggestions. |
      | \`/symphony stats\` | Show what the Conductor learned here: per agent, each model's runs and reward rate. |
      | \`/symphony learnings [forget <n>]\` | List the notes reviews here learned from dismissed findings; \`forget <n>\` removes note n. |
      | \`/symphony help\` | List the commands Symphony understands. |

      Add the label \`symphony\` to an issue to get a plan. Settings live in \`.github/symphony.yml\`."
    `);
  });

  it("names the configured label in the answer", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ config: "label: plan-me\n", role: "admin" });
    const posted = givenNewComment(scope);

    await deliver(probot, "issue_comment.created", helpComment());

    expect(scope.isDone()).toBe(true);
    expect(posted[0]!.body).toContain("Add the label `plan-me` to an issue");
  });

  it("says nothing to someone who is not a collaborator", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ role: "none" });

    await deliver(probot, "issue_comment.created", helpComment());

    expect(scope.isDone()).toBe(true);
  });

  it("says nothing to a reader when the repository requires write", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ role: "triage" });

    await deliver(probot, "issue_comment.created", helpComment());

    expect(scope.isDone()).toBe(true);
  });

  it("answers a triager when the repository lowers the permission to triage", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ config: "permission: triage\n", role: "triage" });
    givenNewComment(scope);

    await deliver(probot, "issue_comment.created", helpComment());

    expect(scope.isDone()).toBe(true);
  });

  it("ignores a bot's comment without a single GitHub call", async () => {
    const { probot } = await givenApp();

    await deliver(
      probot,
      "issue_comment.created",
      helpComment((payload) => {
        payload.sender.type = "Bot";
        payload.sender.login = "renovate[bot]";
        payload.comment.user!.type = "Bot";
      }),
    );
  });

  it("ignores its own comments, even when they quote a command", async () => {
    const { probot } = await givenApp();

    await deliver(
      probot,
      "issue_comment.created",
      helpComment((payload) => {
        payload.sender.type = "Bot";
        payload.sender.login = TEST_BOT_LOGIN;
        payload.comment.user!.login = TEST_BOT_LOGIN;
        payload.comment.user!.type = "Bot";
      }),
    );
  });

  it("ignores comments that hold no command without a single GitHub call", async () => {
    const { probot } = await givenApp();

    await deliver(probot, "issue_comment.created", comment("Thanks, /symphony is great"));
  });

  it("edits its earlier answer when the same comment is delivered again", async () => {
    const { probot } = await givenApp();
    const edited: { body: string }[] = [];
    const scope = givenRepository({ role: "write" });
    mockIssueComments(scope, 1, [
      issueComment({ id: 77, body: "<!-- symphony:help:492700400 -->\nan older list" }),
    ]);
    scope
      .patch("/repos/Codertocat/Hello-World/issues/comments/77", (body: { body: string }) => {
        edited.push(body);
        return true;
      })
      .reply(200, issueComment({ id: 77, body: "" }));

    await deliver(probot, "issue_comment.created", helpComment());

    expect(scope.isDone()).toBe(true);
    expect(edited[0]!.body).toContain("**Symphony commands**");
  });

  it("points at help when the command is unknown", async () => {
    const { probot } = await givenApp();
    const scope = givenRepository({ role: "write" });
    const posted = givenNewComment(scope);

    await deliver(probot, "issue_comment.created", comment("/symphony plna please"));

    expect(scope.isDone()).toBe(true);
    expect(posted[0]!.body).toContain("`/symphony plna` is not a command I know.");
  });

  it("says so when a command exists but this installation has no handler for it", async () => {
    const { probot } = await givenApp({ commands: [helpCommand] });
    const scope = givenRepository({ role: "write" });
    const posted = givenNewComment(scope);

    await deliver(probot, "issue_comment.created", comment("/symphony backlog"));

    expect(scope.isDone()).toBe(true);
    expect(posted[0]!.body).toContain("`/symphony backlog` is not available in this installation.");
  });
});
