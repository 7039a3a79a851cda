// Reads what the agents may see of a repository: its tree, README, files and an issue's thread.
import type { GitHubClient, IssueRef, RepoRef } from "./client.js";
import { isNotFound } from "./http-status.js";

/** A tree entry as the Git Trees API lists it; `mode` tells symlinks (120000) and submodules. */
export interface SnapshotTreeEntry {
  path: string;
  type: "blob" | "tree" | "commit";
  mode: string;
  size?: number;
}

export interface RepositorySnapshotTree {
  /** The commit the tree was read at, so later reads see the same files. */
  commitSha: string;
  defaultBranch: string;
  entries: SnapshotTreeEntry[];
  /** GitHub cut the recursive listing (over 100,000 entries or 7 MB). */
  truncated: boolean;
}

/** The default branch's head and its recursive tree. */
export async function fetchRepositoryTree(
  octokit: GitHubClient,
  ref: RepoRef & { branch?: string },
): Promise<RepositorySnapshotTree> {
  const repoRef = { owner: ref.owner, repo: ref.repo };
  const branchName = ref.branch ?? (await octokit.rest.repos.get(repoRef)).data.default_branch;
  const { data: branch } = await octokit.rest.repos.getBranch({ ...repoRef, branch: branchName });
  const { data: tree } = await octokit.rest.git.getTree({
    ...repoRef,
    tree_sha: branch.commit.commit.tree.sha,
    recursive: "true",
  });
  const entries: SnapshotTreeEntry[] = [];
  for (const entry of tree.tree) {
    if (entry.path === undefined || entry.type === undefined || entry.mode === undefined) continue;
    if (entry.type !== "blob" && entry.type !== "tree" && entry.type !== "commit") continue;
    entries.push({
      path: entry.path,
      type: entry.type,
      mode: entry.mode,
      ...(entry.size === undefined ? {} : { size: entry.size }),
    });
  }
  return {
    commitSha: branch.commit.sha,
    defaultBranch: branchName,
    entries,
    truncated: tree.truncated,
  };
}

/** The README's text at `ref`, or undefined when the repository has none. */
export async function fetchReadme(
  octokit: GitHubClient,
  ref: RepoRef & { ref?: string },
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getReadme({
      owner: ref.owner,
      repo: ref.repo,
      ...(ref.ref === undefined ? {} : { ref: ref.ref }),
    });
    return decodeContent(data.content, data.encoding);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * A reader of files at one commit: text content, or undefined for a missing, binary, symlinked
 * or oversized file (the Contents API answers up to 1 MB with content inline).
 */
export function createFileReader(
  octokit: GitHubClient,
  ref: RepoRef & { ref: string; maxBytes?: number },
): (path: string) => Promise<string | undefined> {
  const maxBytes = ref.maxBytes ?? 200_000;
  return async (path) => {
    try {
      const { data } = await octokit.rest.repos.getContent({
        owner: ref.owner,
        repo: ref.repo,
        path,
        ref: ref.ref,
      });
      if (Array.isArray(data) || data.type !== "file") return undefined;
      if (data.size > maxBytes || !("content" in data)) return undefined;
      const text = decodeContent(data.content, data.encoding);
      return text.includes("\u0000") ? undefined : text;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
}

export interface IssueThread {
  number: number;
  title: string;
  body: string | null;
  labels: string[];
  state: string;
  isPullRequest: boolean;
  /** Oldest first; bots' comments (Symphony's own included) left out. */
  comments: { author: string; body: string; created_at: string }[];
}

/** The issue and its newest `maxComments` human comments. */
export async function fetchIssueThread(
  octokit: GitHubClient,
  ref: IssueRef & { maxComments?: number },
): Promise<IssueThread> {
  const { maxComments = 50, ...issueRef } = ref;
  const { data: issue } = await octokit.rest.issues.get({ ...issueRef });
  const comments: IssueThread["comments"] = [];
  // Newest pages matter most; walking all pages of a long thread is bounded by the cap below.
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...issueRef,
    per_page: 100,
  })) {
    for (const comment of page.data) {
      if (comment.user?.type === "Bot" || comment.body === undefined) continue;
      comments.push({
        author: comment.user?.login ?? "ghost",
        body: comment.body,
        created_at: comment.created_at,
      });
    }
    if (comments.length > maxComments * 4) comments.splice(0, comments.length - maxComments);
  }
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? null,
    labels: issue.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))),
    state: issue.state,
    isPullRequest: issue.pull_request !== undefined,
    comments: comments.slice(-maxComments),
  };
}

function decodeContent(content: string, encoding: string): string {
  if (encoding === "base64") return Buffer.from(content, "base64").toString("utf8");
  return content;
}
