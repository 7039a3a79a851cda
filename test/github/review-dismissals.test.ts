import { describe, expect, it, vi } from "vitest";
import type { GitHubClient } from "../../src/github/client.js";
import { dismissedFindings, type ReviewThreadsClient } from "../../src/github/review-dismissals.js";
import { findingMarker } from "../../src/github/finding-marker.js";
import { githubApi, testClient, useGitHubMock } from "../support/github.js";
import { TEST_BOT_LOGIN } from "../support/probot.js";

useGitHubMock();

const PULL = { owner: "Codertocat", repo: "Hello-World", pull_number: 2 };
const COMMENTS = "/repos/Codertocat/Hello-World/pulls/2/comments";
const A = "aaaaaaaaaaaa";
const B = "bbbbbbbbbbbb";
const C = "cccccccccccc";

const comment = (
  id: number,
  body: string,
  login: string,
  inReplyTo?: number,
  type: "User" | "Bot" = login.endsWith("[bot]") ? "Bot" : "User",
) => ({
  id,
  body,
  user: { login, type },
  path: "src/app.ts",
  line: 9,
  diff_hunk: "@@",
  created_at: "2026-01-01T00:00:00Z",
  ...(inReplyTo === undefined ? {} : { in_reply_to_id: inReplyTo }),
});

const threads = (resolved: number[], all: number[]) => ({
  data: {
    repository: {
      pullRequest: {
        reviewThreads: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: all.map((id) => ({
            isResolved: resolved.includes(id),
            resolvedBy: resolved.includes(id) ? { login: "Codertocat" } : null,
            comments: { nodes: [{ databaseId: id }] },
          })),
        },
      },
    },
  },
});

const log = { warn: vi.fn() };
const anyone = () => Promise.resolve(true);

describe("findings people dismissed", () => {
  it("counts resolved threads and \"won't fix\" replies on Symphony's own findings only", async () => {
    const scope = githubApi()
      .get(COMMENTS)
      .query(true)
      .reply(200, [
        comment(1, `${findingMarker(A)}\n**bug**`, TEST_BOT_LOGIN),
        comment(2, `${findingMarker(B)}\n**nit**`, TEST_BOT_LOGIN),
        comment(3, `${findingMarker(C)}\n**nit**`, TEST_BOT_LOGIN),
        comment(4, "wontfix, this is on purpose", "Codertocat", 2),
        // A pasted lookalike by someone else is not Symphony's finding.
        comment(5, `${findingMarker("dddddddddddd")}\n`, "mallory"),
        comment(6, "won't fix", "Codertocat", 5),
        // A bot saying "won't fix" is not a person dismissing.
        comment(7, "won't fix", "other[bot]", 3),
      ])
      .post("/graphql")
      .reply(200, threads([1], [1, 2, 3, 5]));

    const client = testClient() as ReviewThreadsClient;
    const dismissed = await dismissedFindings(client, PULL, TEST_BOT_LOGIN, log, anyone);

    expect(scope.isDone()).toBe(true);
    expect(dismissed.sort()).toEqual([A, B]);
  });

  it("still counts the replies when GitHub will not say which threads are resolved", async () => {
    githubApi()
      .get(COMMENTS)
      .query(true)
      .reply(200, [
        comment(1, `${findingMarker(A)}\n**bug**`, TEST_BOT_LOGIN),
        comment(2, "Won’t fix.", "Codertocat", 1),
      ])
      .post("/graphql")
      .reply(403, { message: "Resource not accessible by integration" });

    const dismissed = await dismissedFindings(
      testClient() as ReviewThreadsClient,
      PULL,
      TEST_BOT_LOGIN,
      log,
      anyone,
    );

    expect(dismissed).toEqual([A]);
    expect(log.warn).toHaveBeenCalled();
  });

  it("asks GraphQL nothing when Symphony has no findings on the pull request", async () => {
    const scope = githubApi()
      .get(COMMENTS)
      .query(true)
      .reply(200, [comment(1, "nice", "octocat")]);
    const client: GitHubClient = testClient();
    expect(
      await dismissedFindings(client as ReviewThreadsClient, PULL, TEST_BOT_LOGIN, log, anyone),
    ).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});
