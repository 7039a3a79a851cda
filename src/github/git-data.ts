// Branches and commits through the Git Data API: blobs, a tree on a base tree, a commit, a ref.
// Nothing is checked out and nothing runs; the files travel as text in the requests.
import type { GitHubClient, RepoRef } from "./client.js";
import { isNotFound } from "./http-status.js";

export interface BranchHead {
  /** The commit the branch points at. */
  sha: string;
  /** That commit's tree. */
  treeSha: string;
}

/** A commit as the compare API lists it, with what Symphony needs to recognise its own. */
export interface BranchCommit {
  sha: string;
  message: string;
  /** The GitHub login of the author, or of the committer when no author is linked. */
  login: string | undefined;
}

/** A file to write: its path, its full text and the git mode to keep (`100755` stays executable). */
export interface FileWrite {
  path: string;
  content: string;
  mode?: "100644" | "100755";
}

export async function defaultBranchOf(client: GitHubClient, repo: RepoRef): Promise<string> {
  const { data } = await client.rest.repos.get({ ...repo });
  return data.default_branch;
}

/** The branch's head commit and tree, or undefined when there is no such branch. */
export async function branchHead(
  client: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<BranchHead | undefined> {
  try {
    const { data: ref } = await client.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    // `getRef` answers a prefix match with a list; only an exact ref counts.
    if (Array.isArray(ref) || ref.ref !== `refs/heads/${branch}`) return undefined;
    const { data: commit } = await client.rest.git.getCommit({
      ...repo,
      commit_sha: ref.object.sha,
    });
    return { sha: commit.sha, treeSha: commit.tree.sha };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The commits on `branch` that `base` does not have, oldest first (GitHub lists up to 250). */
export async function commitsAhead(
  client: GitHubClient,
  repo: RepoRef,
  base: string,
  branch: string,
): Promise<{ commits: BranchCommit[]; files: { filename: string; changes: number }[] }> {
  const { data } = await client.rest.repos.compareCommitsWithBasehead({
    ...repo,
    basehead: `${base}...${branch}`,
  });
  return {
    commits: data.commits.map((commit) => ({
      sha: commit.sha,
      message: commit.commit.message,
      login: commit.author?.login ?? commit.committer?.login,
    })),
    files: (data.files ?? []).map((file) => ({ filename: file.filename, changes: file.changes })),
  };
}

/**
 * One commit holding `files` on top of `parent`: a blob per file, a tree over the parent's tree,
 * then the commit. The author is whoever the client authenticates as (the app's bot, whose
 * commits GitHub signs); the branch does not move until `moveBranch`.
 */
export async function createCommit(
  client: GitHubClient,
  repo: RepoRef,
  input: { parent: BranchHead; message: string; files: readonly FileWrite[] },
): Promise<BranchHead> {
  const tree = [];
  for (const file of input.files) {
    const { data: blob } = await client.rest.git.createBlob({
      ...repo,
      content: file.content,
      encoding: "utf-8",
    });
    tree.push({
      path: file.path,
      mode: file.mode ?? "100644",
      type: "blob" as const,
      sha: blob.sha,
    });
  }
  const { data: newTree } = await client.rest.git.createTree({
    ...repo,
    base_tree: input.parent.treeSha,
    tree,
  });
  const { data: commit } = await client.rest.git.createCommit({
    ...repo,
    message: input.message,
    tree: newTree.sha,
    parents: [input.parent.sha],
  });
  return { sha: commit.sha, treeSha: newTree.sha };
}

/** Creates the branch at `sha`, or moves it there (fast-forward only: nobody's work is lost). */
export async function moveBranch(
  client: GitHubClient,
  repo: RepoRef,
  input: { branch: string; sha: string; create: boolean },
): Promise<void> {
  if (input.create) {
    await client.rest.git.createRef({ ...repo, ref: `refs/heads/${input.branch}`, sha: input.sha });
    return;
  }
  await client.rest.git.updateRef({
    ...repo,
    ref: `heads/${input.branch}`,
    sha: input.sha,
    force: false,
  });
}

/** A path in a tree: git mode (symlink 120000, submodule 160000), type, blob sha and size. */
export interface TreeFile {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size: number | undefined;
}

/** Every path of a tree, recursively; `truncated` when GitHub cut the listing. */
export async function listTree(
  client: GitHubClient,
  repo: RepoRef,
  treeSha: string,
): Promise<{ entries: TreeFile[]; truncated: boolean }> {
  const { data } = await client.rest.git.getTree({ ...repo, tree_sha: treeSha, recursive: "true" });
  const entries: TreeFile[] = [];
  for (const entry of data.tree) {
    const { path, mode, type, sha } = entry;
    if (path === undefined || mode === undefined || sha === undefined) continue;
    if (type !== "blob" && type !== "tree" && type !== "commit") continue;
    entries.push({ path, mode, type, sha, size: entry.size });
  }
  return { entries, truncated: data.truncated };
}

/**
 * A blob's text, or undefined when its bytes are not UTF-8 (rewriting them as text would
 * corrupt the file).
 */
export async function readBlobText(
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<string | undefined> {
  const { data } = await client.rest.git.getBlob({ ...repo, file_sha: sha });
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) ? text : undefined;
}
