// The committed bundle, run as the Actions runner runs it, against a fake GitHub and the scripted
// Ollama server: what it posts, what it outputs, and how it fails.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPortUrl, startModelServer, type ModelServer } from "../support/model-server.js";
import { webhookPayload } from "../support/probot.js";
import { startFakeGitHub, type FakeGitHub, type GitHubRequest } from "./fake-github.js";
import { runBundle } from "./run-bundle.js";
import { ROLLING_ISSUE_MARKER } from "../../src/refactor/rolling-issue.js";
import {
  fixtureReplyFor,
  FIXTURE_FILES,
  blobs,
  HEAD_SHA,
  TREE_SHA,
} from "../handlers/plan-support.js";

const REPO = "/repos/Codertocat/Hello-World";
const CONFIG = `${REPO}/contents/.github%2Fsymphony.yml`;
const ACTIONS_BOT = "github-actions[bot]";

let github: FakeGitHub;
let ollama: ModelServer;

beforeEach(async () => {
  github = await startFakeGitHub();
  ollama = await startModelServer();
  github.route("POST /graphql", {
    status: 200,
    body: { data: { viewer: { login: ACTIONS_BOT } } },
  });
});

afterEach(async () => {
  await github.close();
  await ollama.close();
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "github-token": "ghs_workflow_token",
    "ollama-host": ollama.url,
    "wait-for-ollama": "0",
    ...extra,
  };
}

function env(): Record<string, string> {
  return { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: "Codertocat/Hello-World" };
}

function noConfigFile(): void {
  github.route(`GET ${CONFIG}`, { status: 404, body: { message: "Not Found" } });
  github.route("GET /repos/Codertocat/.github/contents/.github%2Fsymphony.yml", {
    status: 404,
    body: { message: "Not Found" },
  });
}

function writer(login = "Codertocat"): void {
  github.route(`GET ${REPO}/collaborators/${login}/permission`, {
    status: 200,
    body: { permission: "write", role_name: "write", user: { login, type: "User" } },
  });
}

function postsComments(issue: number): GitHubRequest[] {
  const posted: GitHubRequest[] = [];
  let id = 500;
  github.route(`GET ${REPO}/issues/${issue}/comments`, { status: 200, body: [] });
  github.route(`POST ${REPO}/issues/${issue}/comments`, (request) => {
    posted.push(request);
    id += 1;
    return {
      status: 201,
      body: {
        id,
        html_url: `https://github.com/Codertocat/Hello-World/issues/${issue}#issuecomment-${id}`,
        body: (request.body as { body: string }).body,
        user: { login: ACTIONS_BOT, type: "Bot" },
      },
    };
  });
  return posted;
}

/** The issue, its repository, tree and README, as the planning agents read them. */
function planSources(): void {
  github.route(`GET ${REPO}/issues/1`, {
    status: 200,
    body: {
      id: 9001,
      number: 1,
      title: "Greet first-time contributors",
      body: "When someone opens their first issue, the bot should post a friendly welcome comment.",
      labels: [{ name: "symphony" }],
      state: "open",
      user: { login: "Codertocat", type: "User" },
    },
  });
  github.route(`GET ${REPO}`, { status: 200, body: { default_branch: "main" } });
  github.route(`GET ${REPO}/branches/main`, {
    status: 200,
    body: { name: "main", commit: { sha: HEAD_SHA, commit: { tree: { sha: TREE_SHA } } } },
  });
  github.route(`GET ${REPO}/git/trees/${TREE_SHA}`, {
    status: 200,
    body: {
      sha: TREE_SHA,
      truncated: false,
      tree: blobs(FIXTURE_FILES).map((entry) => ({
        ...entry,
        mode: entry.type === "tree" ? "040000" : "100644",
        sha: "0000000000000000000000000000000000000000",
        ...(entry.type === "blob" ? { size: 1200 } : {}),
      })),
    },
  });
  const readme = "# Greeter\nA Probot app that greets.";
  github.route(`GET ${REPO}/readme`, {
    status: 200,
    body: {
      type: "file",
      encoding: "base64",
      content: Buffer.from(readme).toString("base64"),
      path: "README.md",
      size: readme.length,
    },
  });
}

/** Records every edit of a comment and answers as GitHub does. */
function editsComments(): GitHubRequest[] {
  const edits: GitHubRequest[] = [];
  github.route(`PATCH ${REPO}/issues/comments/501`, (request) => {
    edits.push(request);
    return {
      status: 200,
      body: {
        id: 501,
        html_url: "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-501",
        body: (request.body as { body: string }).body,
        user: { login: ACTIONS_BOT, type: "Bot" },
      },
    };
  });
  return edits;
}

function labeled() {
  return webhookPayload("issues.labeled", (payload) => {
    payload.label = { ...payload.label!, name: "symphony" };
  });
}

function bodyOf(request: GitHubRequest | undefined): string {
  return (request?.body as { body: string } | undefined)?.body ?? "";
}

function helpComment() {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony help";
  });
}

describe("the Action bundle", () => {
  it("answers `/symphony help` with the command list and links it in outputs and the summary", async () => {
    noConfigFile();
    writer();
    const posted = postsComments(1);

    const run = await runBundle({
      eventName: "issue_comment",
      payload: helpComment(),
      inputs: inputs(),
      env: env(),
    });

    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(posted).toHaveLength(1);
    const body = (posted[0]!.body as { body: string }).body;
    expect(body).toContain("<!-- symphony:help:492700400 -->");
    expect(body).toContain("**Symphony commands**");
    expect(body).toContain("| `/symphony plan [what to change]` |");
    expect(posted[0]!.headers["authorization"]).toBe("token ghs_workflow_token");
    const url = "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-501";
    expect(run.outputs["comment-url"]).toBe(url);
    expect(run.outputs["outcome"]).toBe("done");
    expect(run.summary).toContain(
      `<a href="${url}">Comment: Symphony commands (comment on an issue or pull request):</a>`,
    );
    expect(github.unmatched()).toEqual([]);
  });

  it("fails with a sentence when the github-token input is empty, before any request", async () => {
    const run = await runBundle({
      eventName: "issue_comment",
      payload: helpComment(),
      inputs: inputs({ "github-token": "" }),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      "The github-token input is empty: leave it out to use the workflow's token, or pass a token with issues and pull-requests write access.",
    ]);
    expect(run.outputs["outcome"]).toBe("failed");
    expect(github.requests()).toEqual([]);
    expect(ollama.requests()).toEqual([]);
  });

  it("fails naming the supported events when the workflow runs on another one", async () => {
    const run = await runBundle({
      eventName: "push",
      payload: { ref: "refs/heads/main" },
      inputs: inputs(),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      'Symphony does not run on the "push" event; trigger the workflow with issues, issue_comment, pull_request, pull_request_review, pull_request_review_comment, schedule, workflow_dispatch, repository_dispatch.',
    ]);
    expect(github.requests()).toEqual([]);
  });

  it("fails saying Ollama did not answer, and writes nothing to GitHub", async () => {
    const run = await runBundle({
      eventName: "issue_comment",
      payload: helpComment(),
      inputs: inputs({ "ollama-host": await closedPortUrl(), "wait-for-ollama": "1" }),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^The model host http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s; start Ollama on the runner/,
    );
    expect(run.summary).toContain("did not answer within 1 s");
    expect(github.requests()).toEqual([]);
  });

  it("fails when the model is missing and pull-model is off, saying how to get it", async () => {
    const run = await runBundle({
      eventName: "issue_comment",
      payload: helpComment(),
      inputs: inputs({ model: "llama3.3:70b" }),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(
      /^The model llama3\.3:70b is not on http:\/\/127\.0\.0\.1:\d+: run `ollama pull llama3\.3:70b` on the runner, or set `pull-model: true`\.$/,
    );
    expect(github.requests()).toEqual([]);
  });

  it("pulls a missing model through Ollama's API when pull-model is on, then does the work", async () => {
    await ollama.close();
    ollama = await startModelServer({ pullable: ["llama3.3:70b"] });
    noConfigFile();
    writer();
    const posted = postsComments(1);

    const run = await runBundle({
      eventName: "issue_comment",
      payload: helpComment(),
      inputs: inputs({ model: "llama3.3:70b", "pull-model": "true" }),
      env: env(),
    });

    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    const pulls = ollama.requests().filter((request) => request.path === "/api/pull");
    expect(pulls.map((request) => request.body?.["name"])).toEqual(["llama3.3:70b"]);
    expect(run.stdout).toContain("Pulling llama3.3:70b onto");
    expect(posted).toHaveLength(1);
  });

  it("fails saying the pull failed when the registry has no such model", async () => {
    const run = await runBundle({
      eventName: "issue_comment",
      payload: helpComment(),
      inputs: inputs({ model: "no-such-model:1b", "pull-model": "true" }),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(
      /^Could not pull no-such-model:1b onto http:\/\/127\.0\.0\.1:\d+: pull model manifest: file does not exist\.$/,
    );
    expect(github.requests()).toEqual([]);
  });

  it("succeeds with a notice and writes nothing when the event does not concern Symphony", async () => {
    const run = await runBundle({
      eventName: "issue_comment",
      payload: webhookPayload("issue_comment.created", (payload) => {
        payload.comment.body = "Looks good to me";
      }),
      inputs: inputs(),
      env: env(),
    });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("::notice::Nothing to do: issue_comment.created on #1");
    expect(run.outputs["outcome"]).toBe("nothing-to-do");
    expect(
      github
        .requests()
        .filter((request) => request.method !== "GET" && request.path !== "/graphql"),
    ).toEqual([]);
  });

  it("plans an issue labelled `symphony`: a status comment, replaced by the agents' plan", async () => {
    noConfigFile();
    writer();
    planSources();
    const posted = postsComments(1);
    const edits = editsComments();
    ollama.respond((request) => {
      const reply = fixtureReplyFor(request);
      return reply === undefined ? undefined : { json: reply };
    });

    const run = await runBundle({
      eventName: "issues",
      payload: labeled(),
      inputs: inputs(),
      env: env(),
    });

    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(posted).toHaveLength(1);
    expect(bodyOf(posted[0])).toContain("<!-- symphony:plan:1 -->");
    const plan = bodyOf(edits.at(-1));
    expect(plan).toContain("<!-- symphony:plan:1 -->");
    expect(plan).toContain("Welcome first-time contributors");
    expect(plan).toContain("| Planner agent | `qwen2.5-coder:14b` | planner@1 |");
    expect(ollama.chatRequests().length).toBeGreaterThanOrEqual(5);
    expect(ollama.chatRequests()[0]!.body?.["model"]).toBe("qwen2.5-coder:14b");
    expect(run.outputs["comment-url"]).toBe(
      "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-501",
    );
    expect(Number(run.outputs["prompt-tokens"])).toBeGreaterThan(0);
    expect(run.summary).toContain("qwen2.5-coder:14b");
    expect(github.unmatched()).toEqual([]);
  });

  it("fails the job when the status comment ends in a failure", async () => {
    noConfigFile();
    writer();
    planSources();
    postsComments(1);
    const edits = editsComments();
    ollama.respond(() => ({ content: "I would rather not answer in JSON." }));

    const run = await runBundle({
      eventName: "issues",
      payload: labeled(),
      inputs: inputs(),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(bodyOf(edits.at(-1))).toContain("Symphony could not finish the plan.");
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      "Symphony failed on issues.labeled on #1: Symphony could not finish the plan.",
    );
    expect(run.errors[0]).toContain(
      "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-501",
    );
    expect(run.outputs["outcome"]).toBe("failed");
  });

  it("serves the App's repository_dispatch: rebuilds the comment event and answers it, without dispatching again", async () => {
    const yaml = "runner: actions\n";
    github.route(`GET ${CONFIG}`, {
      status: 200,
      body: yaml,
      contentType: "application/vnd.github.raw; charset=utf-8",
    });
    writer();
    const comment = helpComment();
    github.route(`GET ${REPO}`, { status: 200, body: comment.repository });
    github.route("GET /users/Codertocat", { status: 200, body: comment.sender });
    github.route(`GET ${REPO}/issues/1`, { status: 200, body: comment.issue });
    github.route(`GET ${REPO}/issues/comments/${comment.comment.id}`, {
      status: 200,
      body: comment.comment,
    });
    const posted = postsComments(1);

    const run = await runBundle({
      eventName: "repository_dispatch",
      payload: {
        action: "symphony",
        client_payload: {
          event: "issue_comment.created",
          number: 1,
          delivery_id: "app-delivery-7",
          sender: "Codertocat",
          comment_id: comment.comment.id,
        },
        repository: comment.repository,
        sender: { login: "symphony[bot]", type: "Bot" },
        installation: { id: 99 },
      },
      inputs: inputs(),
      env: env(),
    });

    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(posted).toHaveLength(1);
    expect(bodyOf(posted[0])).toContain("**Symphony commands**");
    expect(posted[0]!.headers["x-github-delivery"]).toBe("app-delivery-7");
    expect(github.requests().filter((request) => request.path.endsWith("/dispatches"))).toEqual([]);
    expect(github.unmatched()).toEqual([]);
  });

  it("fails a repository_dispatch whose handler wrote nothing, rather than going green", async () => {
    noConfigFile();
    // The sender has lost write access since the App handed the work over.
    github.route(`GET ${REPO}/collaborators/Codertocat/permission`, {
      status: 200,
      body: { permission: "read", role_name: "read", user: { login: "Codertocat", type: "User" } },
    });
    const comment = helpComment();
    github.route(`GET ${REPO}`, { status: 200, body: comment.repository });
    github.route("GET /users/Codertocat", { status: 200, body: comment.sender });
    github.route(`GET ${REPO}/issues/1`, { status: 200, body: comment.issue });
    github.route(`GET ${REPO}/issues/comments/${comment.comment.id}`, {
      status: 200,
      body: comment.comment,
    });

    const run = await runBundle({
      eventName: "repository_dispatch",
      payload: {
        action: "symphony",
        client_payload: {
          event: "issue_comment.created",
          number: 1,
          delivery_id: "app-delivery-8",
          sender: "Codertocat",
          comment_id: comment.comment.id,
        },
        repository: comment.repository,
      },
      inputs: inputs(),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(
      /^Symphony was asked to work on issue_comment\.created on #1 \(handed over by the App\) but wrote nothing to GitHub/,
    );
  });

  it("refuses a repository_dispatch of another type, naming the one it serves", async () => {
    const run = await runBundle({
      eventName: "repository_dispatch",
      payload: { action: "deploy", client_payload: {}, repository: helpComment().repository },
      inputs: inputs(),
      env: env(),
    });

    expect(run.code).toBe(1);
    expect(run.errors[0]).toContain(
      'Symphony serves repository_dispatch events of type "symphony" only (this one is "deploy")',
    );
    expect(github.requests()).toEqual([]);
  });

  it("runs the refactor refresh on a schedule, and leaves a closed rolling issue alone", async () => {
    noConfigFile();
    github.route(`GET ${REPO}/issues`, (request) => {
      expect(request.query).toContain("labels=symphony%3Arefactor");
      return {
        status: 200,
        body: [
          {
            number: 7,
            html_url: "https://github.com/Codertocat/Hello-World/issues/7",
            state: "closed",
            closed_at: "2026-01-02T00:00:00Z",
            body: `${ROLLING_ISSUE_MARKER}\nRefactor suggestions`,
            user: { login: ACTIONS_BOT, type: "Bot" },
          },
        ],
      };
    });

    const run = await runBundle({
      eventName: "schedule",
      payload: { schedule: "0 6 * * 1" },
      inputs: inputs(),
      env: env(),
    });

    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs["issue-url"]).toBe("https://github.com/Codertocat/Hello-World/issues/7");
    expect(run.summary).toContain("Paused: #7 was closed.");
    expect(ollama.chatRequests()).toEqual([]);
    expect(
      github
        .requests()
        .filter((request) => request.method !== "GET" && request.path !== "/graphql"),
    ).toEqual([]);
  });
});
