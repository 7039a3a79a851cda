import { describe, expect, it } from "vitest";
import { findMarkedComment, upsertMarkedComment } from "../../src/github/marked-comment.js";
import {
  githubApi,
  testClient,
  issueComment,
  mockIssueComments,
  useGitHubMock,
} from "../support/github.js";
import { TEST_BOT_LOGIN } from "../support/probot.js";

useGitHubMock();

const issue = { owner: "Codertocat", repo: "Hello-World", issue_number: 1 };
const marker = { kind: "plan", key: "1" };

describe("upsertMarkedComment", () => {
  it("edits the marked comment instead of creating a twin", async () => {
    const sent: { body: string }[] = [];
    const scope = mockIssueComments(githubApi(), 1, [
      issueComment({ id: 1, body: "first!", login: "mona" }),
      issueComment({ id: 2, body: "<!-- symphony:plan:1 -->\nPlanning…" }),
    ])
      .patch("/repos/Codertocat/Hello-World/issues/comments/2", (body: { body: string }) => {
        sent.push(body);
        return true;
      })
      .reply(200, issueComment({ id: 2, body: "" }));

    const result = await upsertMarkedComment(
      testClient(),
      issue,
      marker,
      "The plan",
      TEST_BOT_LOGIN,
    );

    expect(scope.isDone()).toBe(true);
    expect(result.created).toBe(false);
    expect(sent).toEqual([{ body: "<!-- symphony:plan:1 -->\nThe plan" }]);
  });

  it("creates the comment, marker first, when there is none", async () => {
    const sent: { body: string }[] = [];
    const scope = mockIssueComments(githubApi(), 1, [])
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (body: { body: string }) => {
        sent.push(body);
        return true;
      })
      .reply(201, issueComment({ id: 9, body: "" }));

    const result = await upsertMarkedComment(
      testClient(),
      issue,
      marker,
      "Planning…",
      TEST_BOT_LOGIN,
    );

    expect(scope.isDone()).toBe(true);
    expect(result.created).toBe(true);
    expect(sent).toEqual([{ body: "<!-- symphony:plan:1 -->\nPlanning…" }]);
  });

  it("does not write when the comment already says exactly this", async () => {
    const scope = mockIssueComments(githubApi(), 1, [
      issueComment({ id: 2, body: "<!-- symphony:plan:1 -->\nThe plan" }),
    ]);

    const result = await upsertMarkedComment(
      testClient(),
      issue,
      marker,
      "The plan",
      TEST_BOT_LOGIN,
    );

    expect(scope.isDone()).toBe(true);
    expect(result.comment.id).toBe(2);
  });
});

describe("findMarkedComment", () => {
  it("never takes a comment someone else wrote with the same marker", async () => {
    mockIssueComments(githubApi(), 1, [
      issueComment({ id: 3, body: "<!-- symphony:plan:1 --> copied", login: "mona" }),
    ]);

    expect(await findMarkedComment(testClient(), issue, marker, TEST_BOT_LOGIN)).toBeUndefined();
  });

  it("looks through every page of comments", async () => {
    const next =
      '<https://api.github.com/repositories/1/issues/1/comments?per_page=100&page=2>; rel="next"';
    const scope = githubApi()
      .get("/repos/Codertocat/Hello-World/issues/1/comments")
      .query({ per_page: 100 })
      .reply(200, [issueComment({ id: 1, body: "hello", login: "mona" })], { link: next })
      .get("/repositories/1/issues/1/comments")
      .query({ per_page: 100, page: 2 })
      .reply(200, [issueComment({ id: 200, body: "<!-- symphony:plan:1 -->\nplan" })]);

    const found = await findMarkedComment(testClient(), issue, marker, TEST_BOT_LOGIN);

    expect(scope.isDone()).toBe(true);
    expect(found?.id).toBe(200);
  });

  it("stops reading pages once it has found the comment", async () => {
    const next =
      '<https://api.github.com/repositories/1/issues/1/comments?per_page=100&page=2>; rel="next"';
    const scope = githubApi()
      .get("/repos/Codertocat/Hello-World/issues/1/comments")
      .query({ per_page: 100 })
      .reply(200, [issueComment({ id: 5, body: "<!-- symphony:plan:1 -->" })], { link: next });

    expect((await findMarkedComment(testClient(), issue, marker, TEST_BOT_LOGIN))?.id).toBe(5);
    expect(scope.isDone()).toBe(true);
  });
});
