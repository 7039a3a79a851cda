import { describe, expect, it, vi } from "vitest";
import { createRestOctokit } from "../../src/github/rest-octokit.js";
import { githubApi, useGitHubMock } from "../support/github.js";

useGitHubMock();

const log = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const REPO = "/repos/Codertocat/Hello-World";
const secondaryLimit = {
  message:
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
};

describe("createRestOctokit", () => {
  it("retries a request GitHub answered with 502", async () => {
    const scope = githubApi()
      .get(REPO)
      .times(2)
      .reply(502, { message: "Bad Gateway" })
      .get(REPO)
      .reply(200, { full_name: "Codertocat/Hello-World" });
    const octokit = createRestOctokit({ token: "ghs_x", retryDelayMs: 1 });

    const { data } = await octokit.rest.repos.get({ owner: "Codertocat", repo: "Hello-World" });

    expect(data.full_name).toBe("Codertocat/Hello-World");
    expect(scope.isDone()).toBe(true);
  });

  it("does not retry a 404", async () => {
    const scope = githubApi().get(REPO).reply(404, { message: "Not Found" });
    const octokit = createRestOctokit({ token: "ghs_x", retryDelayMs: 1 });

    await expect(
      octokit.rest.repos.get({ owner: "Codertocat", repo: "Hello-World" }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(scope.isDone()).toBe(true);
  });

  it("waits out a secondary rate limit and tries again, saying so in the log", async () => {
    const logger = log();
    const scope = githubApi()
      .get(REPO)
      .reply(403, secondaryLimit, { "retry-after": "1" })
      .get(REPO)
      .reply(200, { full_name: "Codertocat/Hello-World" });
    const octokit = createRestOctokit({ token: "ghs_x", retryDelayMs: 1, log: logger });

    await octokit.rest.repos.get({ owner: "Codertocat", repo: "Hello-World" });

    expect(scope.isDone()).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^GitHub secondary rate limit on GET .*: retrying in 1 s \(1 of 2\)$/),
    );
  });

  it("gives up after a bounded number of rate-limit retries", async () => {
    const logger = log();
    const scope = githubApi().get(REPO).times(3).reply(403, secondaryLimit, { "retry-after": "1" });
    const octokit = createRestOctokit({ token: "ghs_x", retryDelayMs: 1, log: logger });

    await expect(
      octokit.rest.repos.get({ owner: "Codertocat", repo: "Hello-World" }),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(scope.isDone()).toBe(true);
    expect(logger.warn).toHaveBeenLastCalledWith(
      expect.stringContaining("giving up after 2 retries"),
    );
  });

  it("retries when the primary rate limit is exhausted", async () => {
    const logger = log();
    const reset = String(Math.floor(Date.now() / 1000));
    const scope = githubApi()
      .get(REPO)
      .reply(
        403,
        { message: "API rate limit exceeded" },
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      )
      .get(REPO)
      .reply(200, { full_name: "Codertocat/Hello-World" });
    const octokit = createRestOctokit({ token: "ghs_x", retryDelayMs: 1, log: logger });

    await octokit.rest.repos.get({ owner: "Codertocat", repo: "Hello-World" });

    expect(scope.isDone()).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("GitHub primary rate limit"));
  });

  it("sends the token and talks to a GitHub Enterprise base URL", async () => {
    const scope = githubApi().matchHeader("authorization", "token ghs_x").get(REPO).reply(200, {});
    const enterprise = (await import("nock"))
      .default("https://ghe.example.com")
      .matchHeader("authorization", "token ghs_x")
      .get(`/api/v3${REPO}`)
      .reply(200, {});

    await createRestOctokit({ token: "ghs_x" }).rest.repos.get({
      owner: "Codertocat",
      repo: "Hello-World",
    });
    await createRestOctokit({
      token: "ghs_x",
      baseUrl: "https://ghe.example.com/api/v3",
    }).rest.repos.get({
      owner: "Codertocat",
      repo: "Hello-World",
    });

    expect(scope.isDone()).toBe(true);
    expect(enterprise.isDone()).toBe(true);
  });
});
