import { describe, expect, it, vi } from "vitest";
import { CommandRegistry, type SymphonyCommand } from "../../src/app/commands.js";
import { createSymphonyApp } from "../../src/create-app.js";
import { helpCommand } from "../../src/app/help.js";
import { issueComment, mockIssueComments, useGitHubMock } from "../support/github.js";
import { createFakeRuntime, createTestProbot, deliver, webhookPayload } from "../support/probot.js";
import { givenApp, givenRepository } from "../support/given.js";

useGitHubMock();

function command(
  name: SymphonyCommand["name"],
  run: SymphonyCommand["run"] = async () => undefined,
): SymphonyCommand {
  return { name, usage: `/symphony ${name}`, summary: `Does ${name}.`, run };
}

const planRequest = () =>
  webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony plan use SQLite\nand keep the API";
  });

describe("the command registry", () => {
  it("lists commands in the order help shows them, whatever the order they were added", () => {
    const registry = new CommandRegistry([command("review"), helpCommand, command("plan")]);

    expect(registry.list().map((entry) => entry.name)).toEqual(["plan", "review", "help"]);
  });

  it("refuses a second command with the same name", () => {
    const registry = new CommandRegistry([command("plan")]);

    expect(() => registry.register(command("plan"))).toThrow(
      'the command "plan" is registered twice',
    );
  });

  it("hands a plugged-in command the parsed request and the repository's settings", async () => {
    const run = vi.fn<SymphonyCommand["run"]>(async () => undefined);
    const { probot } = await givenApp({ commands: [helpCommand, command("plan", run)] });
    const scope = givenRepository({ config: "language: German\n", role: "maintain" });

    await deliver(probot, "issue_comment.created", planRequest());

    expect(scope.isDone()).toBe(true);
    expect(run).toHaveBeenCalledOnce();
    const [invocation] = run.mock.calls[0]!;
    expect(invocation.command).toEqual({
      kind: "command",
      name: "plan",
      args: "use SQLite",
      details: "and keep the API",
    });
    expect(invocation.config.language).toBe("German");
    expect(invocation.context.payload.comment.id).toBe(492700400);
  });

  it("tells the person when a command fails, without a stack trace", async () => {
    const posted: string[] = [];
    const failing = command("plan", () =>
      Promise.reject(new Error("the model host is down; start Ollama")),
    );
    const { probot } = await givenApp({ commands: [failing] });
    const scope = givenRepository({ role: "write" });
    mockIssueComments(scope, 1, []);
    scope
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (body: { body: string }) => {
        posted.push(body.body);
        return true;
      })
      .reply(201, issueComment({ id: 11, body: "" }));

    await deliver(probot, "issue_comment.created", planRequest());

    expect(scope.isDone()).toBe(true);
    expect(posted).toEqual([
      "<!-- symphony:error:492700400 -->\nSymphony could not do that: the model host is down; start Ollama",
    ]);
  });

  it("finds its own bot login with GET /app when none is given", async () => {
    const probot = await createTestProbot({
      app: createSymphonyApp({ runtime: createFakeRuntime(), commands: [helpCommand] }),
    });
    const scope = givenRepository({ role: "write" });
    scope.get("/app").reply(200, { id: 1, slug: "symphony-local" });
    mockIssueComments(scope, 1, [
      issueComment({
        id: 5,
        body: "<!-- symphony:help:492700400 -->\nold",
        login: "symphony-local[bot]",
      }),
    ]);
    scope
      .patch("/repos/Codertocat/Hello-World/issues/comments/5")
      .reply(200, issueComment({ id: 5, body: "" }));

    await deliver(
      probot,
      "issue_comment.created",
      webhookPayload("issue_comment.created", (payload) => {
        payload.comment.body = "/symphony help";
      }),
    );

    expect(scope.isDone()).toBe(true);
  });
});
