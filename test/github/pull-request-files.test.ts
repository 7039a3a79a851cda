import { describe, expect, it } from "vitest";
import { compareHeads } from "../../src/github/pull-request-compare.js";
import { listPullRequestFiles } from "../../src/github/pull-request-files.js";
import { githubApi, testClient, useGitHubMock } from "../support/github.js";

useGitHubMock();

const PULL = { owner: "Codertocat", repo: "Hello-World", pull_number: 2 };
const FILES = "/repos/Codertocat/Hello-World/pulls/2/files";

const entry = (index: number) => ({
  sha: "abc",
  filename: `src/file-${index}.ts`,
  status: "modified",
  additions: 1,
  deletions: 0,
  changes: 1,
  blob_url: "https://github.com/x",
  raw_url: "https://github.com/x",
  contents_url: "https://api.github.com/x",
  patch: "@@ -1 +1,2 @@\n a\n+b",
});

/** `pages` full pages of 100 files, each linking to the next, as GitHub paginates. */
function mockPages(pages: number) {
  const scope = githubApi();
  for (let page = 1; page <= pages; page++) {
    const next: Record<string, string> = {};
    if (page < pages) {
      next.link = `<https://api.github.com${FILES}?per_page=100&page=${page + 1}>; rel="next"`;
    }
    scope
      .get(FILES)
      .query(page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) })
      .reply(
        200,
        Array.from({ length: 100 }, (_, i) => entry((page - 1) * 100 + i)),
        next,
      );
  }
  return scope;
}

describe("listing a pull request's files", () => {
  it("follows every page and keeps only what review reads", async () => {
    const scope = mockPages(2);
    const listed = await listPullRequestFiles(testClient(), PULL, 200);
    expect(scope.isDone()).toBe(true);
    expect(listed.truncated).toBe(false);
    expect(listed.files).toHaveLength(200);
    expect(listed.files[150]).toEqual({
      filename: "src/file-150.ts",
      status: "modified",
      additions: 1,
      deletions: 0,
      changes: 1,
      patch: "@@ -1 +1,2 @@\n a\n+b",
    });
  });

  it("says the list was cut when GitHub stops at its 3,000-file cap", async () => {
    const scope = mockPages(30);
    const listed = await listPullRequestFiles(testClient(), PULL, 4200);
    expect(scope.isDone()).toBe(true);
    expect(listed.files).toHaveLength(3000);
    expect(listed.truncated).toBe(true);
  });

  it("does not call a pull request of exactly 3,000 files cut", async () => {
    mockPages(30);
    const listed = await listPullRequestFiles(testClient(), PULL, 3000);
    expect(listed.truncated).toBe(false);
  });
});

const COMPARE = "/repos/Codertocat/Hello-World/compare/1111111...2222222";

describe("comparing the last reviewed head with the new one", () => {
  const repo = { owner: "Codertocat", repo: "Hello-World" };

  it("lists only the new changes when the new head is ahead", async () => {
    const scope = githubApi()
      .get(COMPARE)
      .query({ per_page: "1" })
      .reply(200, { status: "ahead", files: [entry(7)] });
    const changes = await compareHeads(testClient(), repo, "1111111", "2222222");
    expect(scope.isDone()).toBe(true);
    expect(changes).toEqual({
      kind: "incremental",
      files: [expect.objectContaining({ filename: "src/file-7.ts" })],
    });
  });

  it("asks for a full review after a force-push (diverged)", async () => {
    githubApi()
      .get(COMPARE)
      .query(true)
      .reply(200, { status: "diverged", files: [entry(1)] });
    const changes = await compareHeads(testClient(), repo, "1111111", "2222222");
    expect(changes).toEqual({ kind: "full", reason: "force-push" });
  });

  it("asks for a full review when the old head is gone (404)", async () => {
    githubApi().get(COMPARE).query(true).reply(404, { message: "Not Found" });
    const changes = await compareHeads(testClient(), repo, "1111111", "2222222");
    expect(changes).toEqual({ kind: "full", reason: "force-push" });
  });

  it("asks for a full review when the comparison reaches the compare API's 300-file limit", async () => {
    githubApi()
      .get(COMPARE)
      .query(true)
      .reply(200, { status: "ahead", files: Array.from({ length: 300 }, (_, i) => entry(i)) });
    const changes = await compareHeads(testClient(), repo, "1111111", "2222222");
    expect(changes).toEqual({ kind: "full", reason: "too-many-files" });
  });

  it("lets other failures through for the run to report", async () => {
    githubApi().get(COMPARE).query(true).reply(500, { message: "Server Error" });
    await expect(compareHeads(testClient(), repo, "1111111", "2222222")).rejects.toMatchObject({
      status: 500,
    });
  });
});
