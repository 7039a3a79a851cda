// nock shapes of the GitHub REST calls Symphony makes, with the bodies GitHub answers.
import nock from "nock";
import { afterEach, beforeEach, expect } from "vitest";
import type { GitHubClient, IssueComment, RepoRef } from "../../src/github/client.js";
import { blockNetwork, GITHUB_API, TEST_BOT_LOGIN, TestOctokit } from "./probot.js";

/** The repository of @octokit/webhooks-examples payloads. */
export const EXAMPLE_REPO: RepoRef = { owner: "Codertocat", repo: "Hello-World" };

/**
 * Per test: the network blocked, and afterwards a failure for any request no mock answered
 * (handlers catch errors, so a stray request would otherwise pass unnoticed).
 */
export function useGitHubMock(): { unmatched: string[] } {
  const state = { unmatched: [] as string[] };
  const record = (request: { method?: string; path?: string; href?: string }): void => {
    state.unmatched.push(`${request.method ?? "?"} ${request.href ?? request.path ?? "?"}`);
  };
  beforeEach(() => {
    blockNetwork();
    state.unmatched = [];
    nock.emitter.on("no match", record);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", record);
    nock.cleanAll();
    expect(state.unmatched, "requests no mock answered").toEqual([]);
  });
  return state;
}

/** A token-authenticated client without retry or throttling, for tests of src/github alone. */
export function testClient(): GitHubClient {
  return new TestOctokit({ auth: { token: "ghs_test_token" } });
}

export function githubApi(): nock.Scope {
  return nock(GITHUB_API);
}

/** `.github/symphony.yml` as the config plugin fetches it; undefined: no file anywhere. */
export function mockRepoConfig(
  scope: nock.Scope,
  yaml: string | undefined,
  repo = EXAMPLE_REPO,
): nock.Scope {
  const path = (name: string) => `/repos/${repo.owner}/${name}/contents/.github%2Fsymphony.yml`;
  if (yaml !== undefined) return scope.get(path(repo.repo)).reply(200, yaml);
  return scope
    .get(path(repo.repo))
    .reply(404, { message: "Not Found" })
    .get(path(".github"))
    .reply(404, { message: "Not Found" });
}

/** The collaborator-permission answer for a role, or 404 when `role` is "none". */
export function mockPermission(
  scope: nock.Scope,
  username: string,
  role: "read" | "triage" | "write" | "maintain" | "admin" | "none",
  repo = EXAMPLE_REPO,
): nock.Scope {
  const path = `/repos/${repo.owner}/${repo.repo}/collaborators/${username}/permission`;
  if (role === "none") return scope.get(path).reply(404, { message: "Not Found" });
  // The legacy `permission` field folds triage into read and maintain into write.
  const legacy: Record<string, string> = { triage: "read", maintain: "write" };
  const permission = legacy[role] ?? role;
  return scope.get(path).reply(200, {
    permission,
    role_name: role,
    user: { login: username, type: "User" },
  });
}

/** An issue comment as the REST API returns it. */
export function issueComment(fields: {
  id: number;
  body: string;
  login?: string;
  type?: "User" | "Bot";
}): IssueComment {
  const login = fields.login ?? TEST_BOT_LOGIN;
  return {
    id: fields.id,
    node_id: `IC_${fields.id}`,
    url: `${GITHUB_API}/repos/Codertocat/Hello-World/issues/comments/${fields.id}`,
    html_url: `https://github.com/Codertocat/Hello-World/issues/1#issuecomment-${fields.id}`,
    issue_url: `${GITHUB_API}/repos/Codertocat/Hello-World/issues/1`,
    body: fields.body,
    user: userOf(login, fields.type ?? (login.endsWith("[bot]") ? "Bot" : "User")),
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    author_association: "NONE",
  } as IssueComment;
}

/** One page of an issue's comments (the last page: no `link` header). */
export function mockIssueComments(
  scope: nock.Scope,
  issueNumber: number,
  comments: IssueComment[],
  repo = EXAMPLE_REPO,
): nock.Scope {
  return scope
    .get(`/repos/${repo.owner}/${repo.repo}/issues/${issueNumber}/comments`)
    .query(true)
    .reply(200, comments);
}

function userOf(login: string, type: "User" | "Bot") {
  return {
    login,
    id: 1,
    node_id: "U_1",
    avatar_url: "",
    gravatar_id: "",
    url: "",
    html_url: "",
    followers_url: "",
    following_url: "",
    gists_url: "",
    starred_url: "",
    subscriptions_url: "",
    organizations_url: "",
    repos_url: "",
    events_url: "",
    received_events_url: "",
    type,
    site_admin: false,
  };
}
