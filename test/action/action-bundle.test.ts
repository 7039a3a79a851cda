// The committed bundle, run as the Actions runner runs it, against a fake GitHub and the scripted
// Ollama server: what it posts, what it outputs, and how it fails.
import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import type { PullFile } from "../../src/github/pull-request-patch.js";
import type { ReviewComment } from "../../src/features/review/review-request.js";
import {
  parseReviewState,
  renderReviewState,
  reviewMarker,
} from "../../src/features/review/state.js";
import { expectCommentsOnRightSide } from "../features/review/right-side.js";
import {
  closedPortUrl,
  startModelServer,
  type ModelServer,
  type RecordedRequest,
  type ScriptedReply,
} from "../support/model-server.js";
import { webhookPayload } from "../support/probot.js";
import { startFakeGitHub, type FakeGitHub, type GitHubRequest } from "./fake-github.js";
import { runBundle } from "./run-bundle.js";
import { ROLLING_ISSUE_MARKER } from "../../src/features/refactor/rolling-issue.js";
import {
  fixtureReplyFor,
  FIXTURE_FILES,
  blobs,
  HEAD_SHA,
  TREE_SHA,
} from "../features/plan/plan-support.js";

const REPO = "/repos/Codertocat/Hello-World";
const CONFIG = `${REPO}/contents/.github%2Fsymphony.yml`;
const ACTIONS_BOT = "github-actions[bot]";

interface Fakes {
  github: FakeGitHub;
  ollama: ModelServer;
}

// Each test runs the bundle against fakes of its own, so the tests run side by side: most of
// their time is the bundle waiting out Octokit's write throttling (a second between writes).
const current = new AsyncLocalStorage<Fakes>();
const github = (): FakeGitHub => current.getStore()!.github;
const ollama = (): ModelServer => current.getStore()!.ollama;

async function startFakes(): Promise<Fakes> {
  const fakes = { github: await startFakeGitHub(), ollama: await startModelServer() };
  fakes.github.route("POST /graphql", (request) => ({
    status: 200,
    body: String((request.body as { query?: string } | undefined)?.query).includes("pullRequests(")
      ? // What became of earlier review findings: none in this repository yet.
        { data: { repository: { pullRequests: { nodes: [] } } } }
      : { data: { viewer: { login: ACTIONS_BOT } } },
  }));
  return fakes;
}

/** A test of the bundle, with its own fake GitHub and model server, run beside the others. */
function bundleTest(name: string, body: () => Promise<void>): void {
  it.concurrent(name, async () => {
    const fakes = await startFakes();
    try {
      await current.run(fakes, body);
    } finally {
      await fakes.github.close();
      await fakes.ollama.close();
    }
  });
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "github-token": "ghs_workflow_token",
    "ollama-host": ollama().url,
    "wait-for-ollama": "0",
    ...extra,
  };
}

function env(): Record<string, string> {
  return { GITHUB_API_URL: github().url, GITHUB_REPOSITORY: "Codertocat/Hello-World" };
}

function noConfigFile(): void {
  github().route(`GET ${CONFIG}`, { status: 404, body: { message: "Not Found" } });
  github().route("GET /repos/Codertocat/.github/contents/.github%2Fsymphony.yml", {
    status: 404,
    body: { message: "Not Found" },
  });
}

function writer(login = "Codertocat"): void {
  github().route(`GET ${REPO}/collaborators/${login}/permission`, {
    status: 200,
    body: { permission: "write", role_name: "write", user: { login, type: "User" } },
  });
}

function postsComments(issue: number): GitHubRequest[] {
  const posted: GitHubRequest[] = [];
  let id = 500;
  github().route(`GET ${REPO}/issues/${issue}/comments`, { status: 200, body: [] });
  github().route(`POST ${REPO}/issues/${issue}/comments`, (request) => {
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
  github().route(`GET ${REPO}/issues/1`, {
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
  github().route(`GET ${REPO}`, { status: 200, body: { default_branch: "main" } });
  github().route(`GET ${REPO}/branches/main`, {
    status: 200,
    body: { name: "main", commit: { sha: HEAD_SHA, commit: { tree: { sha: TREE_SHA } } } },
  });
  github().route(`GET ${REPO}/git/trees/${TREE_SHA}`, {
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
  github().route(`GET ${REPO}/readme`, {
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
function editsComments(issue = 1, id = 501, login = ACTIONS_BOT): GitHubRequest[] {
  const edits: GitHubRequest[] = [];
  github().route(`PATCH ${REPO}/issues/comments/${id}`, (request) => {
    edits.push(request);
    return {
      status: 200,
      body: {
        id,
        html_url: `https://github.com/Codertocat/Hello-World/issues/${issue}#issuecomment-${id}`,
        body: (request.body as { body: string }).body,
        user: { login, type: "Bot" },
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
  bundleTest(
    "answers `/symphony help` with the command list and links it in outputs and the summary",
    async () => {
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
      expect(github().unmatched()).toEqual([]);
    },
  );

  bundleTest(
    "fails with a sentence when the github-token input is empty, before any request",
    async () => {
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
      expect(github().requests()).toEqual([]);
      expect(ollama().requests()).toEqual([]);
    },
  );

  bundleTest(
    "fails with one sentence saying what to fix when a model variable in the workflow's env is unusable",
    async () => {
      const run = await runBundle({
        eventName: "issue_comment",
        payload: helpComment(),
        inputs: inputs(),
        env: { ...env(), SYMPHONY_NUM_CTX_MAX: "abc" },
      });

      expect(run.code).toBe(1);
      expect(run.errors).toEqual([
        "Symphony did not start: SYMPHONY_NUM_CTX_MAX must be a whole number of tokens from 2048 to 1048576 (it is \"abc\"); fix it in the workflow's env (or the runner's environment), then run the job again.",
      ]);
      expect(run.stderr).not.toContain("    at ");
      expect(github().requests()).toEqual([]);
    },
  );

  bundleTest(
    "fails naming the supported events when the workflow runs on another one",
    async () => {
      const run = await runBundle({
        eventName: "push",
        payload: { ref: "refs/heads/main" },
        inputs: inputs(),
        env: env(),
      });

      expect(run.code).toBe(1);
      expect(run.errors).toEqual([
        'Symphony does not run on the "push" event; trigger the workflow with issues, issue_comment, pull_request, pull_request_review, pull_request_review_comment, pull_request_target, schedule, workflow_dispatch, repository_dispatch.',
      ]);
      expect(github().requests()).toEqual([]);
    },
  );

  bundleTest("fails saying Ollama did not answer, and writes nothing to GitHub", async () => {
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
    expect(github().requests()).toEqual([]);
  });

  bundleTest(
    "fails when the model is missing and pull-model is off, saying how to get it",
    async () => {
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
      expect(github().requests()).toEqual([]);
    },
  );

  bundleTest(
    "pulls a missing model through Ollama's API when pull-model is on, then does the work",
    async () => {
      const fakes = current.getStore()!;
      await fakes.ollama.close();
      fakes.ollama = await startModelServer({ pullable: ["llama3.3:70b"] });
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
      const pulls = ollama()
        .requests()
        .filter((request) => request.path === "/api/pull");
      expect(pulls.map((request) => request.body?.["name"])).toEqual(["llama3.3:70b"]);
      expect(run.stdout).toContain("Pulling llama3.3:70b onto");
      expect(posted).toHaveLength(1);
    },
  );

  bundleTest("fails saying the pull failed when the registry has no such model", async () => {
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
    expect(github().requests()).toEqual([]);
  });

  bundleTest(
    "succeeds with a notice and writes nothing when the event does not concern Symphony",
    async () => {
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
        github()
          .requests()
          .filter((request) => request.method !== "GET" && request.path !== "/graphql"),
      ).toEqual([]);
    },
  );

  bundleTest(
    "plans an issue labelled `symphony`: a status comment, replaced by the agents' plan",
    async () => {
      noConfigFile();
      writer();
      planSources();
      const posted = postsComments(1);
      const edits = editsComments();
      ollama().respond((request) => {
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
      expect(plan).toContain("| Planner agent | `qwen2.5-coder:14b` | planner@2 |");
      expect(ollama().chatRequests().length).toBeGreaterThanOrEqual(5);
      expect(ollama().chatRequests()[0]!.body?.["model"]).toBe("qwen2.5-coder:14b");
      expect(run.outputs["comment-url"]).toBe(
        "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-501",
      );
      expect(Number(run.outputs["prompt-tokens"])).toBeGreaterThan(0);
      expect(run.summary).toContain("qwen2.5-coder:14b");
      expect(github().unmatched()).toEqual([]);
    },
  );

  bundleTest("fails the job when the status comment ends in a failure", async () => {
    noConfigFile();
    writer();
    planSources();
    postsComments(1);
    const edits = editsComments();
    ollama().respond(() => ({ content: "I would rather not answer in JSON." }));

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

  bundleTest(
    "serves the App's repository_dispatch: rebuilds the comment event and answers it, without dispatching again",
    async () => {
      const yaml = "runner: actions\n";
      github().route(`GET ${CONFIG}`, {
        status: 200,
        body: yaml,
        contentType: "application/vnd.github().raw; charset=utf-8",
      });
      writer();
      const comment = helpComment();
      github().route(`GET ${REPO}`, { status: 200, body: comment.repository });
      github().route("GET /users/Codertocat", { status: 200, body: comment.sender });
      github().route(`GET ${REPO}/issues/1`, { status: 200, body: comment.issue });
      github().route(`GET ${REPO}/issues/comments/${comment.comment.id}`, {
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
      expect(
        github()
          .requests()
          .filter((request) => request.path.endsWith("/dispatches")),
      ).toEqual([]);
      expect(github().unmatched()).toEqual([]);
    },
  );

  bundleTest(
    "fails a repository_dispatch whose handler wrote nothing, rather than going green",
    async () => {
      noConfigFile();
      // The sender has lost write access since the App handed the work over.
      github().route(`GET ${REPO}/collaborators/Codertocat/permission`, {
        status: 200,
        body: {
          permission: "read",
          role_name: "read",
          user: { login: "Codertocat", type: "User" },
        },
      });
      const comment = helpComment();
      github().route(`GET ${REPO}`, { status: 200, body: comment.repository });
      github().route("GET /users/Codertocat", { status: 200, body: comment.sender });
      github().route(`GET ${REPO}/issues/1`, { status: 200, body: comment.issue });
      github().route(`GET ${REPO}/issues/comments/${comment.comment.id}`, {
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
          sender: { login: "symphony[bot]", type: "Bot" },
        },
        inputs: inputs(),
        env: env(),
      });

      expect(run.code).toBe(1);
      expect(run.errors[0]).toMatch(
        /^Symphony was asked to work on issue_comment\.created on #1 \(handed over by the App\) but wrote nothing to GitHub/,
      );
    },
  );

  bundleTest(
    "refuses a repository_dispatch that a workflow's token sent instead of the App",
    async () => {
      const comment = helpComment();
      const run = await runBundle({
        eventName: "repository_dispatch",
        payload: {
          action: "symphony",
          client_payload: {
            event: "issue_comment.created",
            number: 1,
            delivery_id: "forged-1",
            sender: "Codertocat",
            comment_id: comment.comment.id,
          },
          repository: comment.repository,
          sender: { login: "github-actions[bot]", type: "Bot" },
        },
        inputs: inputs(),
        env: env(),
      });

      expect(run.errors.join("\n")).toContain(
        "Symphony acts only on repository_dispatch events the Symphony App sends",
      );
      expect(
        github()
          .requests()
          .filter((request) => request.method !== "GET"),
      ).toEqual([]);
    },
  );

  bundleTest("acts as the comment's author, not as the sender the dispatch names", async () => {
    noConfigFile();
    github().route(`GET ${REPO}/collaborators/Codertocat/permission`, {
      status: 200,
      body: { permission: "read", role_name: "read", user: { login: "Codertocat", type: "User" } },
    });
    github().route(`GET ${REPO}/collaborators/the-admin/permission`, {
      status: 200,
      body: { permission: "admin", role_name: "admin", user: { login: "the-admin", type: "User" } },
    });
    const comment = helpComment();
    github().route(`GET ${REPO}`, { status: 200, body: comment.repository });
    github().route("GET /users/the-admin", {
      status: 200,
      body: { ...comment.sender, login: "the-admin" },
    });
    github().route(`GET ${REPO}/issues/1`, { status: 200, body: comment.issue });
    github().route(`GET ${REPO}/issues/comments/${comment.comment.id}`, {
      status: 200,
      body: comment.comment,
    });
    const posted = postsComments(1);

    await runBundle({
      eventName: "repository_dispatch",
      payload: {
        action: "symphony",
        client_payload: {
          event: "issue_comment.created",
          number: 1,
          delivery_id: "app-delivery-9",
          sender: "the-admin",
          comment_id: comment.comment.id,
        },
        repository: comment.repository,
        sender: { login: "symphony[bot]", type: "Bot" },
      },
      inputs: inputs(),
      env: env(),
    });

    expect(posted).toEqual([]);
    const asked = github()
      .requests()
      .map((request) => request.path);
    expect(asked).not.toContain(`${REPO}/collaborators/the-admin/permission`);
  });

  /** A dispatched `issues.labeled` on #1, whose payload names `sender` as the one who labelled. */
  function dispatchedLabel(sender: string) {
    return {
      action: "symphony",
      client_payload: {
        event: "issues.labeled",
        number: 1,
        delivery_id: "app-delivery-label",
        sender,
        label: "symphony",
      },
      repository: labeled().repository,
      sender: { login: "symphony[bot]", type: "Bot" },
    };
  }

  function labelEvent(event: "labeled" | "unlabeled", login: string) {
    return { event, label: { name: "symphony" }, actor: { login, type: "User" } };
  }

  /** The repository, and issue #1 carrying `labels` as GitHub returns them now. */
  function labelledIssue(labels: { name: string }[]): void {
    const event = labeled();
    github().route(`GET ${REPO}`, { status: 200, body: event.repository });
    github().route(`GET ${REPO}/issues/1`, { status: 200, body: { ...event.issue, labels } });
  }

  function readerAndAdmin(): void {
    github().route(`GET ${REPO}/collaborators/Codertocat/permission`, {
      status: 200,
      body: { permission: "read", role_name: "read", user: { login: "Codertocat", type: "User" } },
    });
    github().route(`GET ${REPO}/collaborators/the-admin/permission`, {
      status: 200,
      body: { permission: "admin", role_name: "admin", user: { login: "the-admin", type: "User" } },
    });
  }

  bundleTest(
    "acts as whoever added the label as GitHub's issue events say, not as the sender the dispatch names",
    async () => {
      noConfigFile();
      readerAndAdmin();
      labelledIssue([{ name: "symphony" }]);
      github().route(`GET ${REPO}/issues/1/events`, {
        status: 200,
        body: [
          labelEvent("labeled", "the-admin"),
          labelEvent("unlabeled", "the-admin"),
          labelEvent("labeled", "Codertocat"),
        ],
      });
      const posted = postsComments(1);

      await runBundle({
        eventName: "repository_dispatch",
        payload: dispatchedLabel("the-admin"),
        inputs: inputs(),
        env: env(),
      });

      expect(posted).toEqual([]);
      expect(ollama().chatRequests()).toEqual([]);
      const asked = github()
        .requests()
        .map((request) => request.path);
      expect(asked).toContain(`${REPO}/collaborators/Codertocat/permission`);
      expect(asked).not.toContain(`${REPO}/collaborators/the-admin/permission`);
    },
  );

  bundleTest(
    "refuses a dispatched label that the issue no longer carries, whoever once added it",
    async () => {
      noConfigFile();
      readerAndAdmin();
      labelledIssue([]);
      github().route(`GET ${REPO}/issues/1/events`, {
        status: 200,
        body: [labelEvent("labeled", "the-admin"), labelEvent("unlabeled", "Codertocat")],
      });
      const posted = postsComments(1);

      const run = await runBundle({
        eventName: "repository_dispatch",
        payload: dispatchedLabel("the-admin"),
        inputs: inputs(),
        env: env(),
      });

      expect(run.code).toBe(1);
      expect(run.errors.join("\n")).toContain('#1 no longer carries the label "symphony"');
      expect(posted).toEqual([]);
      expect(ollama().chatRequests()).toEqual([]);
      expect(
        github()
          .requests()
          .map((request) => request.path),
      ).not.toContain(`${REPO}/collaborators/the-admin/permission`);
    },
  );

  bundleTest(
    "refuses a repository_dispatch of another type, naming the one it serves",
    async () => {
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
      expect(github().requests()).toEqual([]);
    },
  );

  bundleTest(
    "runs the refactor refresh on a schedule, and leaves a closed rolling issue alone",
    async () => {
      noConfigFile();
      github().route(`GET ${REPO}/issues`, (request) => {
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
      expect(ollama().chatRequests()).toEqual([]);
      expect(
        github()
          .requests()
          .filter((request) => request.method !== "GET" && request.path !== "/graphql"),
      ).toEqual([]);
    },
  );
});

describe("the Action bundle's config-path input", () => {
  bundleTest(
    "reads the repository's settings from config-path, never from .github/symphony.yml",
    async () => {
      github().route(`GET ${REPO}/contents/ci%2Fsymphony.yml`, {
        status: 200,
        body: "label: plan-me\n",
        contentType: "application/vnd.github().raw; charset=utf-8",
      });
      github().route("GET /repos/Codertocat/.github/contents/.github%2Fsymphony.yml", {
        status: 404,
        body: { message: "Not Found" },
      });
      writer();
      planSources();
      const posted = postsComments(1);
      const edits = editsComments();
      ollama().respond((request) => {
        const reply = fixtureReplyFor(request);
        return reply === undefined ? undefined : { json: reply };
      });
      const payload = webhookPayload("issues.labeled", (event) => {
        event.label = { ...event.label!, name: "plan-me" };
      });

      const run = await runBundle({
        eventName: "issues",
        payload,
        inputs: inputs({ "config-path": "ci/symphony.yml" }),
        env: env(),
      });

      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      // "plan-me" is the plan label only in ci/symphony.yml; the default one is "symphony".
      expect(posted).toHaveLength(1);
      expect(bodyOf(posted[0])).toContain("<!-- symphony:plan:1 -->");
      expect(bodyOf(edits.at(-1))).toContain("Welcome first-time contributors");
      const paths = github()
        .requests()
        .map((request) => request.path);
      expect(paths).toContain(`${REPO}/contents/ci%2Fsymphony.yml`);
      expect(paths).not.toContain(CONFIG);
      expect(github().unmatched()).toEqual([]);
    },
  );

  bundleTest(
    "reads config-path on a repository_dispatch too, so the settings say whether to work",
    async () => {
      github().route(`GET ${REPO}/contents/ci%2Fsymphony.yml`, {
        status: 200,
        body: "runner: actions\nreview:\n  enabled: false\n",
        contentType: "application/vnd.github().raw; charset=utf-8",
      });
      const pull = pullPayload("synchronize", HEAD_2);
      github().route(`GET ${REPO}`, { status: 200, body: pull.repository });
      github().route("GET /users/Codertocat", { status: 200, body: pull.sender });
      github().route(`GET ${REPO}/pulls/2`, { status: 200, body: pull.pull_request });

      const run = await runBundle({
        eventName: "repository_dispatch",
        payload: dispatchOf("pull_request.synchronize", "app-delivery-9"),
        inputs: inputs({ "config-path": "ci/symphony.yml" }),
        env: env(),
      });

      // Reviews are off in ci/symphony.yml (the default file would have them on): nothing written,
      // which a dispatch the App sent must not pass off as success.
      expect(run.code).toBe(1);
      expect(run.errors[0]).toMatch(
        /^Symphony was asked to work on pull_request\.synchronize on #2/,
      );
      const paths = github()
        .requests()
        .map((request) => request.path);
      expect(paths.filter((path) => path.endsWith("ci%2Fsymphony.yml")).length).toBeGreaterThan(0);
      expect(paths).not.toContain(CONFIG);
      expect(ollama().chatRequests()).toEqual([]);
    },
  );
});

const HEAD_1 = "1111111111111111111111111111111111111111";
const HEAD_2 = "2222222222222222222222222222222222222222";
const APP_BOT = "symphony[bot]";

const appFile: PullFile = {
  filename: "src/app.ts",
  status: "modified",
  additions: 2,
  deletions: 1,
  changes: 3,
  patch:
    "@@ -8,4 +8,5 @@ export function start() {\n   const port = env.PORT;\n-  listen(port);\n+  listen(Number(port));\n+  console.log(`listening on ${port}`);\n   return port;\n }",
};

const APP_SOURCE = [
  'import { env } from "node:process";',
  "",
  "export function stop() {",
  "  close();",
  "}",
  "",
  "export function start() {",
  "  const port = env.PORT;",
  "  listen(Number(port));",
  "  console.log(`listening on ${port}`);",
  "  return port;",
  "}",
].join("\n");

/** The example `pull_request` payload for pull request #2 of Codertocat/Hello-World. */
function pullPayload(action: "opened" | "synchronize", head: string) {
  const payload = webhookPayload("pull_request.opened", (event) => {
    event.number = 2;
    event.pull_request.number = 2;
    event.pull_request.head.sha = head;
    event.pull_request.draft = false;
    event.pull_request.state = "open";
    event.pull_request.labels = [];
    event.pull_request.changed_files = 1;
    event.pull_request.user!.type = "User";
  });
  return Object.assign(payload, { action });
}

function dispatchOf(event: string, deliveryId: string, number = 2, commentId?: number) {
  return {
    action: "symphony",
    client_payload: {
      event,
      number,
      delivery_id: deliveryId,
      sender: "Codertocat",
      ...(commentId === undefined ? {} : { comment_id: commentId }),
    },
    repository: webhookPayload("issues.labeled").repository,
    sender: { login: APP_BOT, type: "Bot" },
  };
}

/** Which review agent a chat request is for, told by the top-level fields of its schema. */
function reviewAgentOf(request: RecordedRequest): string | undefined {
  const format = request.body?.["format"];
  if (typeof format !== "object" || format === null || Array.isArray(format)) return undefined;
  const properties = format["properties"];
  if (typeof properties !== "object" || properties === null) return undefined;
  if ("findings" in properties) return "editor";
  if ("walkthrough" in properties) return "planner";
  if ("mermaid" in properties) return "visualizer";
  return undefined;
}

/** The review agents as a model would answer, each reply with fixed token counts. */
function reviewModels(): void {
  ollama().respond((request): ScriptedReply | undefined => {
    const counts = { promptEvalCount: 1200, evalCount: 80 };
    switch (reviewAgentOf(request)) {
      case "planner":
        return {
          ...counts,
          json: {
            summary: "Parses the port as a number and logs it.",
            walkthrough: [{ path: "src/app.ts", change: "Listens on Number(port)." }],
            design_remarks: [],
          },
        };
      case "visualizer":
        return { ...counts, json: { flow: "", mermaid: "" } };
      case "editor":
        return {
          ...counts,
          json: {
            findings: [
              {
                path: "src/app.ts",
                line: 9,
                snippet: "listen(Number(port))",
                severity: "major",
                rule: "bug",
                title: "NaN port when PORT is unset",
                body: "`Number(undefined)` is NaN.",
                suggestion: "  listen(Number(port ?? 3000));",
              },
            ],
          },
        };
      default:
        return undefined;
    }
  });
}

interface PostedReview {
  commit_id: string;
  event: string;
  body?: string;
  comments: ReviewComment[];
}

/** Pull request #2 as the review reads it: the pull, its files, the head file, and its reviews. */
function reviewSources(head: string, files: PullFile[] = [appFile]): PostedReview[] {
  const reviews: PostedReview[] = [];
  const pull = pullPayload("opened", head).pull_request;
  github().route(`GET ${REPO}/pulls/2`, { status: 200, body: pull });
  github().route(`GET ${REPO}/pulls/2/files`, { status: 200, body: files });
  github().route(`GET ${REPO}/contents/src%2Fapp.ts`, (request) => {
    expect(request.query).toContain(`ref=${head}`);
    return {
      status: 200,
      body: {
        type: "file",
        encoding: "base64",
        name: "app.ts",
        path: "src/app.ts",
        size: APP_SOURCE.length,
        content: Buffer.from(APP_SOURCE).toString("base64"),
      },
    };
  });
  // The repository's notes from dismissed findings: no learnings issue yet.
  github().route(`GET ${REPO}/issues`, { status: 200, body: [] });
  // Before posting, the review looks for one of its own already on the head.
  github().route(`GET ${REPO}/pulls/2/reviews`, () => ({
    status: 200,
    body: reviews.map((review, index) => ({
      id: 80 + index,
      user: { login: ACTIONS_BOT, type: "Bot" },
      body: review.body ?? "",
      state: "COMMENTED",
      commit_id: review.commit_id,
    })),
  }));
  github().route(`POST ${REPO}/pulls/2/reviews`, (request) => {
    const review = request.body as PostedReview;
    reviews.push(review);
    return {
      status: 200,
      body: {
        id: 80,
        state: "COMMENTED",
        commit_id: review.commit_id,
        html_url: "https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-80",
      },
    };
  });
  return reviews;
}

function tokenRow(summary: string): string | undefined {
  return /<tr><td>ollama qwen2\.5-coder:14b<\/td>.*?<\/tr>/.exec(summary)?.[0];
}

describe("the Action bundle on pull requests", () => {
  bundleTest(
    "reviews an opened pull request: summary comment, one COMMENT review on RIGHT-side lines, tokens in the job summary",
    async () => {
      noConfigFile();
      const posted = postsComments(2);
      const edits = editsComments(2);
      const reviews = reviewSources(HEAD_1);
      reviewModels();

      const run = await runBundle({
        eventName: "pull_request",
        payload: pullPayload("opened", HEAD_1),
        inputs: inputs(),
        env: env(),
      });

      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      expect(bodyOf(posted[0])).toBe("<!-- symphony:review:2 -->\n⏳ Reviewing…");
      expect(posted).toHaveLength(1);
      expect(reviews).toHaveLength(1);
      expect(reviews[0]).toMatchObject({ commit_id: HEAD_1, event: "COMMENT" });
      expect(reviews[0]!.comments.map(({ path, line, side }) => ({ path, line, side }))).toEqual([
        { path: "src/app.ts", line: 9, side: "RIGHT" },
      ]);
      expect(reviews[0]!.comments[0]!.body).toContain(
        "```suggestion\n  listen(Number(port ?? 3000));\n```",
      );
      expectCommentsOnRightSide(reviews[0]!.comments, [appFile]);
      const summary = bodyOf(edits.at(-1));
      expect(summary.startsWith("<!-- symphony:review:2 -->\n\n## Symphony review")).toBe(true);
      expect(summary).toContain("Parses the port as a number and logs it.");
      expect(parseReviewState(summary)).toMatchObject({ headSha: HEAD_1 });
      const editor = ollama()
        .chatRequests()
        .filter((request) => reviewAgentOf(request) === "editor");
      expect(editor).toHaveLength(1);
      expect(JSON.stringify(editor[0]!.body?.["messages"])).toContain("listen(Number(port));");

      // The job summary: the review linked, and the model's calls and tokens counted.
      const calls = ollama().chatRequests().length;
      expect(calls).toBe(3);
      expect(run.summary).toContain(
        '<a href="https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-80">Review</a>',
      );
      expect(run.summary).toContain("<h3>Tokens</h3>");
      expect(run.summary).toContain(
        "<tr><th>model</th><th>calls</th><th>prompt tokens</th><th>output tokens</th></tr>",
      );
      expect(tokenRow(run.summary)).toBe(
        `<tr><td>ollama qwen2.5-coder:14b</td><td>${calls}</td><td>${calls * 1200}</td><td>${calls * 80}</td></tr>`,
      );
      expect(run.outputs["prompt-tokens"]).toBe(String(calls * 1200));
      expect(run.outputs["output-tokens"]).toBe(String(calls * 80));
      expect(run.outputs["comment-url"]).toBe(
        "https://github.com/Codertocat/Hello-World/issues/2#issuecomment-501",
      );
      expect(github().unmatched()).toEqual([]);
    },
  );

  bundleTest(
    "serves a dispatched pull_request.synchronize: reviews only what changed since the last review, in the App's status comment",
    async () => {
      github().route(`GET ${CONFIG}`, {
        status: 200,
        body: "runner: actions\n",
        contentType: "application/vnd.github().raw; charset=utf-8",
      });
      const pull = pullPayload("synchronize", HEAD_2);
      github().route(`GET ${REPO}`, { status: 200, body: pull.repository });
      github().route("GET /users/Codertocat", { status: 200, body: pull.sender });
      // The App's status comment, over its last review of HEAD_1.
      const state = renderReviewState({ version: 1, headSha: HEAD_1, posted: [], dismissed: [] });
      const status = `${reviewMarker(2)}\n⏳ Reviewing…\n\n${reviewMarker(2)}\n\n## Symphony review\n\nNo findings.\n${state}`;
      github().route(`GET ${REPO}/issues/2/comments`, {
        status: 200,
        body: [
          {
            id: 700,
            html_url: "https://github.com/Codertocat/Hello-World/issues/2#issuecomment-700",
            body: status,
            user: { login: APP_BOT, type: "Bot" },
          },
        ],
      });
      const edits = editsComments(2, 700, APP_BOT);
      const reviews = reviewSources(HEAD_2, [appFile]);
      const compared: string[] = [];
      github().route(`GET ${REPO}/compare/${HEAD_1}...${HEAD_2}`, (request) => {
        compared.push(request.path);
        return {
          status: 200,
          body: { status: "ahead", ahead_by: 1, behind_by: 0, commits: [], files: [appFile] },
        };
      });
      reviewModels();

      const run = await runBundle({
        eventName: "repository_dispatch",
        payload: dispatchOf("pull_request.synchronize", "app-delivery-10"),
        inputs: inputs({ "bot-login": APP_BOT }),
        env: env(),
      });

      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      expect(compared).toHaveLength(1);
      expect(reviews).toHaveLength(1);
      expect(reviews[0]).toMatchObject({ commit_id: HEAD_2, event: "COMMENT" });
      expectCommentsOnRightSide(reviews[0]!.comments, [appFile]);
      // No second comment: the App's status comment becomes the new summary.
      expect(
        github()
          .requests()
          .filter((request) => request.method === "POST" && request.path.endsWith("/comments")),
      ).toEqual([]);
      const summary = bodyOf(edits.at(-1));
      expect(summary).toContain("## Symphony review");
      expect(parseReviewState(summary)).toMatchObject({ headSha: HEAD_2 });
      expect(edits.every((edit) => edit.headers["x-github-delivery"] === "app-delivery-10")).toBe(
        true,
      );
      expect(
        github()
          .requests()
          .filter((request) => request.path.endsWith("/dispatches")),
      ).toEqual([]);
      expect(tokenRow(run.summary)).toBeDefined();
      expect(github().unmatched()).toEqual([]);
    },
  );

  bundleTest(
    "serves a dispatched pull_request_review.submitted on Symphony's pull request: finds the review and answers it",
    async () => {
      github().route(`GET ${CONFIG}`, {
        status: 200,
        body: "runner: actions\n",
        contentType: "application/vnd.github().raw; charset=utf-8",
      });
      writer();
      const base = pullPayload("opened", HEAD_2);
      const repository = base.repository;
      github().route(`GET ${REPO}`, { status: 200, body: repository });
      github().route("GET /users/Codertocat", { status: 200, body: base.sender });
      github().route(`GET ${REPO}/pulls/3`, {
        status: 200,
        body: {
          ...base.pull_request,
          number: 3,
          body: "Implements the plan.",
          user: { login: APP_BOT, type: "Bot" },
          head: { ...base.pull_request.head, ref: "symphony/issue-1", repo: repository },
          base: { ...base.pull_request.base, ref: "master", repo: repository },
        },
      });
      // The App's follow-up sends no review id: the sender's latest submitted review is the one.
      github().route(`GET ${REPO}/pulls/3/reviews`, {
        status: 200,
        body: [
          {
            id: 76,
            state: "COMMENTED",
            body: "First look.",
            user: { login: "Codertocat", type: "User" },
          },
          {
            id: 77,
            state: "CHANGES_REQUESTED",
            body: "Please tidy this up a bit.",
            user: { login: "Codertocat", type: "User" },
            submitted_at: "2026-01-02T00:00:00Z",
            commit_id: HEAD_2,
          },
          { id: 78, state: "PENDING", body: "", user: { login: "Codertocat", type: "User" } },
        ],
      });
      const inline: string[] = [];
      github().route(`GET ${REPO}/pulls/3/reviews/77/comments`, (request) => {
        inline.push(request.path);
        return { status: 200, body: [] };
      });
      github().route(`GET ${REPO}/git/ref/heads%2Fsymphony%2Fissue-1`, {
        status: 200,
        body: { ref: "refs/heads/symphony/issue-1", object: { sha: HEAD_2, type: "commit" } },
      });
      github().route(`GET ${REPO}/git/commits/${HEAD_2}`, {
        status: 200,
        body: { sha: HEAD_2, tree: { sha: TREE_SHA } },
      });
      github().route(`GET ${REPO}/git/trees/${TREE_SHA}`, {
        status: 200,
        body: {
          sha: TREE_SHA,
          truncated: false,
          tree: [
            {
              path: "src/app.ts",
              type: "blob",
              mode: "100644",
              sha: "0000000000000000000000000000000000000000",
              size: 300,
            },
          ],
        },
      });
      github().route(`GET ${REPO}/compare/master...symphony%2Fissue-1`, {
        status: 200,
        body: { status: "ahead", ahead_by: 1, behind_by: 0, commits: [], files: [appFile] },
      });
      const posted = postsComments(3);
      const edits = editsComments(3);

      const run = await runBundle({
        eventName: "repository_dispatch",
        payload: dispatchOf("pull_request_review.submitted", "app-delivery-11", 3),
        inputs: inputs({ "bot-login": APP_BOT }),
        env: env(),
      });

      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      expect(inline).toHaveLength(1);
      expect(posted).toHaveLength(1);
      expect(bodyOf(posted[0])).toContain("<!-- symphony:follow-up:3 -->");
      expect(bodyOf(edits.at(-1))).toContain(
        "Symphony read the review but found nothing to change: it names none of this pull request's files.",
      );
      expect(ollama().chatRequests()).toEqual([]);
      expect(github().unmatched()).toEqual([]);
    },
  );
});
