// The files a pull request changes, as the pulls API lists them (paginated, capped by GitHub).
import type { PullFile } from "./pull-request-patch.js";
import type { GitHubClient, RepoRef } from "./client.js";

/** GitHub's pull request files API stops listing at this many files. */
export const PULL_FILES_API_CAP = 3000;

export interface PullRef extends RepoRef {
  pull_number: number;
}

export interface PullRequestFiles {
  files: PullFile[];
  /** GitHub stopped listing at its 3,000-file cap: the files past it are unknown. */
  truncated: boolean;
}

/**
 * Every changed file with its patch. `changedFiles` (the pull request's own count) tells a list
 * cut at the API's cap from one that is exactly that long.
 */
export async function listPullRequestFiles(
  client: GitHubClient,
  pull: PullRef,
  changedFiles?: number,
): Promise<PullRequestFiles> {
  const files: PullFile[] = [];
  const pages = client.paginate.iterator(client.rest.pulls.listFiles, { ...pull, per_page: 100 });
  for await (const page of pages) {
    for (const entry of page.data) files.push(pullFile(entry));
    if (files.length >= PULL_FILES_API_CAP) break;
  }
  const truncated =
    files.length >= PULL_FILES_API_CAP &&
    (changedFiles === undefined || changedFiles > PULL_FILES_API_CAP);
  return { files: files.slice(0, PULL_FILES_API_CAP), truncated };
}

/** Only what review reads: a listing entry also carries URLs and blob SHAs. */
export function pullFile(entry: PullFile): PullFile {
  return {
    filename: entry.filename,
    status: entry.status,
    additions: entry.additions,
    deletions: entry.deletions,
    changes: entry.changes,
    ...(entry.patch === undefined ? {} : { patch: entry.patch }),
    ...(entry.previous_filename === undefined
      ? {}
      : { previous_filename: entry.previous_filename }),
  };
}
