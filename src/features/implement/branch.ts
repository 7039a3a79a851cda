// Which branch an implementation writes to: Symphony's own `symphony/issue-<n>`, or a suffixed
// one when someone else's branch already has that name.
import type { GitHubClient, RepoRef } from "../../github/client.js";
import {
  branchHead,
  commitsAhead,
  type BranchCommit,
  type BranchHead,
} from "../../github/git-data.js";

/** Suffixes tried before giving up: `-2` … `-9`. */
const MAX_SUFFIX = 9;

export interface ClaimedBranch {
  name: string;
  /** Where the next commit goes on top of: the branch head, or the default branch head. */
  head: BranchHead;
  /** False until the first commit creates the ref. */
  exists: boolean;
  /** Commits already on the branch (Symphony's), oldest first. */
  commits: BranchCommit[];
  /** Files the branch already changes against the default branch, with lines changed. */
  files: { filename: string; changes: number }[];
}

export class NoBranchError extends Error {
  constructor(base: string) {
    super(`the branches ${base} to ${base}-${MAX_SUFFIX} all exist and are not Symphony's`);
    this.name = "NoBranchError";
  }
}

/**
 * The first of `base`, `base-2`, … that is free or Symphony's own. A branch is Symphony's when
 * it is ahead of the default branch and every commit it adds was made by the app's bot; a
 * branch with anyone else's commit (or none of its own) is left alone.
 */
export async function claimBranch(
  client: GitHubClient,
  repo: RepoRef,
  input: { base: string; defaultBranch: string; defaultHead: BranchHead; botLogin: string },
): Promise<ClaimedBranch> {
  for (let n = 1; n <= MAX_SUFFIX; n += 1) {
    const name = n === 1 ? input.base : `${input.base}-${n}`;
    const head = await branchHead(client, repo, name);
    if (head === undefined) {
      return { name, head: input.defaultHead, exists: false, commits: [], files: [] };
    }
    const ahead = await commitsAhead(client, repo, input.defaultBranch, name);
    const bot = input.botLogin.toLowerCase();
    const ours =
      ahead.commits.length > 0 &&
      ahead.commits.every((commit) => commit.login?.toLowerCase() === bot);
    if (ours) return { name, head, exists: true, commits: ahead.commits, files: ahead.files };
  }
  throw new NoBranchError(input.base);
}
