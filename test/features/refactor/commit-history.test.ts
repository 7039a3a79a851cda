import { Octokit } from "@octokit/rest";
import type nock from "nock";
import { describe, expect, it } from "vitest";
import type { GitHubClient } from "../../../src/github/client.js";
import {
  collectChangeCounts,
  CommitHistoryError,
  type CommitHistoryOctokit,
} from "../../../src/github/commit-history.js";
import { githubApi, testClient, useGitHubMock } from "../../support/github.js";

useGitHubMock();

const REPO = { owner: "octo", repo: "shop" };
const SINCE = new Date("2026-01-01T00:00:00.000Z");
const LIST = `/repos/octo/shop/commits`;

// Both clients the app hands around fit the minimal shape the history needs.
const _probotFits: CommitHistoryOctokit = {} as GitHubClient;
const _restFits: CommitHistoryOctokit = {} as Octokit;
void _probotFits;
void _restFits;

interface FakeFile {
  filename: string;
  status?: "added" | "modified" | "removed" | "renamed";
  previous_filename?: string;
}

function listed(sha: string, parents = 1) {
  return {
    sha,
    commit: { message: `commit ${sha}` },
    parents: Array.from({ length: parents }, (_, i) => ({ sha: `${sha}-parent${i}` })),
  };
}

function mockCommit(scope: nock.Scope, sha: string, files: FakeFile[]): nock.Scope {
  return scope
    .get(`${LIST}/${sha}`)
    .reply(200, { sha, files: files.map((f) => ({ status: "modified", ...f })) });
}

function nextPage(page: number): Record<string, string> {
  return {
    link: `<https://api.github.com/repositories/1/commits?since=2026-01-01T00%3A00%3A00.000Z&per_page=100&page=${page}>; rel="next"`,
  };
}

describe("collecting change counts from the commits API", () => {
  it("asks for the window's commits and counts each file once per commit", async () => {
    const scope = githubApi()
      .get(LIST)
      .query({ since: "2026-01-01T00:00:00.000Z", per_page: "100" })
      .reply(200, [listed("c2"), listed("c1")]);
    mockCommit(scope, "c2", [{ filename: "src/a.ts" }, { filename: "src/b.ts" }]);
    mockCommit(scope, "c1", [{ filename: "src/a.ts" }]);

    const history = await collectChangeCounts(testClient(), { ...REPO, since: SINCE });

    expect(Object.fromEntries(history.counts)).toEqual({ "src/a.ts": 2, "src/b.ts": 1 });
    expect(history).toMatchObject({ commitsScanned: 2, requests: 3, truncated: false });
    expect(scope.isDone()).toBe(true);
  });

  it("walks the given branch when one is named", async () => {
    const scope = githubApi()
      .get(LIST)
      .query({ since: "2026-01-01T00:00:00.000Z", sha: "release", per_page: "100" })
      .reply(200, []);
    const history = await collectChangeCounts(testClient(), {
      ...REPO,
      since: SINCE,
      ref: "release",
    });
    expect(history.commitsScanned).toBe(0);
    expect(scope.isDone()).toBe(true);
  });

  it("follows the listing's pages", async () => {
    const scope = githubApi()
      .get(LIST)
      .query(true)
      .reply(200, [listed("c3"), listed("c2")], nextPage(2))
      .get("/repositories/1/commits")
      .query({ since: "2026-01-01T00:00:00.000Z", per_page: "100", page: "2" })
      .reply(200, [listed("c1")]);
    mockCommit(scope, "c3", [{ filename: "a.py" }]);
    mockCommit(scope, "c2", [{ filename: "a.py" }]);
    mockCommit(scope, "c1", [{ filename: "b.py" }]);

    const history = await collectChangeCounts(testClient(), { ...REPO, since: SINCE });

    expect(Object.fromEntries(history.counts)).toEqual({ "a.py": 2, "b.py": 1 });
    expect(history).toMatchObject({ commitsScanned: 3, requests: 5, truncated: false });
    expect(scope.isDone()).toBe(true);
  });

  it("reads only the newest max_commits commits and says the history was truncated", async () => {
    const scope = githubApi()
      .get(LIST)
      .query(true)
      .reply(200, [listed("c4"), listed("c3"), listed("c2"), listed("c1")]);
    mockCommit(scope, "c4", [{ filename: "x.go" }]);
    mockCommit(scope, "c3", [{ filename: "y.go" }]);

    const history = await collectChangeCounts(testClient(), {
      ...REPO,
      since: SINCE,
      maxCommits: 2,
    });

    expect(Object.fromEntries(history.counts)).toEqual({ "x.go": 1, "y.go": 1 });
    expect(history).toMatchObject({ commitsScanned: 2, requests: 3, truncated: true });
    expect(scope.isDone()).toBe(true);
  });

  it("stops listing at max_pages and does not ask for the next page", async () => {
    const scope = githubApi()
      .get(LIST)
      .query(true)
      .reply(200, [listed("c9")], nextPage(2));
    mockCommit(scope, "c9", [{ filename: "x.go" }]);

    const history = await collectChangeCounts(testClient(), {
      ...REPO,
      since: SINCE,
      maxPages: 1,
    });

    expect(history).toMatchObject({ commitsScanned: 1, requests: 2, truncated: true });
    expect(scope.isDone()).toBe(true);
  });

  it("counts a renamed file's older changes under its new path", async () => {
    const scope = githubApi()
      .get(LIST)
      .query(true)
      .reply(200, [listed("c3"), listed("c2"), listed("c1")]);
    mockCommit(scope, "c3", [{ filename: "src/cart.ts" }]);
    mockCommit(scope, "c2", [
      { filename: "src/cart.ts", status: "renamed", previous_filename: "src/basket.ts" },
    ]);
    mockCommit(scope, "c1", [{ filename: "src/basket.ts" }]);

    const history = await collectChangeCounts(testClient(), { ...REPO, since: SINCE });

    expect(Object.fromEntries(history.counts)).toEqual({ "src/cart.ts": 3 });
  });

  it("skips merge commits without fetching them, since their files repeat the branch's", async () => {
    const scope = githubApi()
      .get(LIST)
      .query(true)
      .reply(200, [listed("m1", 2), listed("c1")]);
    mockCommit(scope, "c1", [{ filename: "lib/a.rb" }]);

    const history = await collectChangeCounts(testClient(), { ...REPO, since: SINCE });

    expect(history).toMatchObject({ commitsScanned: 1, mergesSkipped: 1, requests: 2 });
    expect(Object.fromEntries(history.counts)).toEqual({ "lib/a.rb": 1 });
  });

  it("returns no changes for an empty repository (GitHub answers 409)", async () => {
    githubApi().get(LIST).query(true).reply(409, { message: "Git Repository is empty." });

    const history = await collectChangeCounts(testClient(), { ...REPO, since: SINCE });

    expect(history).toEqual({
      counts: new Map(),
      commitsScanned: 0,
      mergesSkipped: 0,
      requests: 1,
      truncated: false,
    });
  });

  it("turns a refusal into an error that says what to check", async () => {
    githubApi().get(LIST).query(true).reply(404, { message: "Not Found" });

    const failure = collectChangeCounts(testClient(), { ...REPO, since: SINCE });

    await expect(failure).rejects.toBeInstanceOf(CommitHistoryError);
    await expect(failure).rejects.toThrow(
      "Symphony could not list the commits of octo/shop (HTTP 404): check that Symphony is installed on the repository with the Contents: read permission.",
    );
  });

  it("works with a plain @octokit/rest client too", async () => {
    const scope = githubApi()
      .get(LIST)
      .query(true)
      .reply(200, [listed("c1")]);
    mockCommit(scope, "c1", [{ filename: "main.c" }]);

    const history = await collectChangeCounts(new Octokit({ auth: "token" }), {
      ...REPO,
      since: SINCE,
    });

    expect(Object.fromEntries(history.counts)).toEqual({ "main.c": 1 });
  });
});
