import { describe, expect, it } from "vitest";
import {
  readFindingThreads,
  readHeadFiles,
  REVIEW_OUTCOMES_QUERY,
} from "../../src/github/review-outcomes.js";
import type { ReviewThreadsClient } from "../../src/github/review-dismissals.js";
import { EXAMPLE_REPO, githubApi, testClient, useGitHubMock } from "../support/github.js";
import { TEST_BOT_LOGIN } from "../support/probot.js";

useGitHubMock();

const client = () => testClient() as ReviewThreadsClient;

/** A review thread as GitHub's GraphQL API answers it: a bot's login is its slug, no "[bot]". */
const thread = (
  root: { id: number; login: string; type: "Bot" | "User" },
  replies: { id: number; body: string; login: string }[] = [],
  state: { isResolved?: boolean; isOutdated?: boolean } = {},
) => ({
  isResolved: state.isResolved ?? false,
  isOutdated: state.isOutdated ?? false,
  path: "src/app.ts",
  resolvedBy: state.isResolved ? { login: "octocat" } : null,
  comments: {
    nodes: [
      {
        databaseId: root.id,
        body: "finding",
        author: { __typename: root.type, login: root.login },
      },
      ...replies.map((reply) => ({
        databaseId: reply.id,
        body: reply.body,
        author: { __typename: "User", login: reply.login },
      })),
    ],
  },
});

describe("what became of Symphony's findings, read from GitHub", () => {
  it("reads the recent pull requests' threads in one GraphQL query and keeps those Symphony's bot opened", async () => {
    const asked: unknown[] = [];
    const scope = githubApi()
      .post("/graphql", (body: unknown) => {
        asked.push(body);
        return true;
      })
      .reply(200, {
        data: {
          repository: {
            pullRequests: {
              nodes: [
                {
                  number: 7,
                  headRefOid: "abc1234",
                  reviewThreads: {
                    nodes: [
                      thread(
                        { id: 1, login: "symphony-test", type: "Bot" },
                        [{ id: 2, body: "won't fix", login: "octocat" }],
                        { isResolved: true, isOutdated: true },
                      ),
                      // A person whose login is the bot's slug is not the bot.
                      thread({ id: 3, login: "symphony-test", type: "User" }),
                      thread({ id: 4, login: "other-app", type: "Bot" }),
                    ],
                  },
                },
              ],
            },
          },
        },
      });

    const threads = await readFindingThreads(client(), EXAMPLE_REPO, TEST_BOT_LOGIN);

    expect(scope.isDone()).toBe(true);
    expect(asked).toEqual([
      { query: REVIEW_OUTCOMES_QUERY, variables: { owner: "Codertocat", repo: "Hello-World" } },
    ]);
    expect(threads).toEqual([
      {
        pull: 7,
        headSha: "abc1234",
        path: "src/app.ts",
        resolved: true,
        resolvedBy: "octocat",
        outdated: true,
        root: { id: 1, body: "finding", author: TEST_BOT_LOGIN, bot: true },
        replies: [{ id: 2, body: "won't fix", author: "octocat", bot: false }],
      },
    ]);
  });

  it("reads the head text of the files asked for in one query, each as a variable, never spliced in", async () => {
    let sent: { query: string; variables: Record<string, string> } | undefined;
    githubApi()
      .post("/graphql", (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(200, {
        data: { repository: { f0: { text: "one\ntwo\n" }, f1: null, f2: { text: null } } },
      });

    const texts = await readHeadFiles(client(), EXAMPLE_REPO, [
      { sha: "abc", path: "src/a.ts" },
      { sha: "abc", path: "src/a.ts" },
      { sha: "abc", path: 'src/"quoted".ts' },
      { sha: "def", path: "logo.png" },
    ]);

    expect(sent!.variables).toEqual({
      owner: "Codertocat",
      repo: "Hello-World",
      e0: "abc:src/a.ts",
      e1: 'abc:src/"quoted".ts',
      e2: "def:logo.png",
    });
    expect(sent!.query).toContain("f1: object(expression: $e1) { ... on Blob { text } }");
    expect(sent!.query).not.toContain("quoted");
    expect([...texts]).toEqual([["abc:src/a.ts", "one\ntwo\n"]]);
  });

  it("asks nothing when no file is wanted", async () => {
    expect(await readHeadFiles(client(), EXAMPLE_REPO, [])).toEqual(new Map());
  });
});
