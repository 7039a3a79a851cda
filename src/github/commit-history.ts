// How often each file changed over a window of the default branch's history, from the commits
// API: one paginated listing of the window, then each commit's files, newest first, bounded.
import type { Octokit } from "@octokit/rest";
import { mapWithConcurrency } from "../lib/bounded-concurrency.js";
import { statusOf } from "./http-status.js";

/** What this module needs of a client: `Octokit` from @octokit/rest and Probot's both fit. */
export interface CommitHistoryOctokit {
  paginate: Pick<Octokit["paginate"], "iterator">;
  rest: { repos: Pick<Octokit["rest"]["repos"], "listCommits" | "getCommit"> };
}

/** Commits whose files are fetched: one request each, so this is the run's main cost. */
export const DEFAULT_MAX_COMMITS = 300;
/** Pages of the commit listing (100 commits each); merges are listed but never fetched. */
export const DEFAULT_MAX_PAGES = 10;
const DEFAULT_CONCURRENCY = 4;
const PAGE_SIZE = 100;

export interface CommitHistoryOptions {
  owner: string;
  repo: string;
  /** Start of the window; commits before it are not listed. */
  since: Date;
  /** Branch or sha to walk; the default branch when absent. */
  ref?: string;
  maxCommits?: number;
  maxPages?: number;
  /** `getCommit` requests in flight at once. */
  concurrency?: number;
}

export interface CommitHistory {
  /** Commits in the window that touched each path, renames counted under the newest name. */
  counts: Map<string, number>;
  /** Non-merge commits whose files were read. */
  commitsScanned: number;
  /** Merge commits listed and skipped: their files repeat their branch's commits. */
  mergesSkipped: number;
  /** HTTP requests made: listing pages plus one per commit scanned. */
  requests: number;
  /** True when the window holds more commits than the bounds let us read. */
  truncated: boolean;
}

/** GitHub refused the history: the message says what to check. */
export class CommitHistoryError extends Error {
  override name = "CommitHistoryError";
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface ChangedFile {
  path: string;
  /** The path before this commit renamed it. */
  renamedFrom?: string;
}

/** Counts per-file changes over the window, within the bounds; see docs/refactor.md. */
export async function collectChangeCounts(
  octokit: CommitHistoryOctokit,
  options: CommitHistoryOptions,
): Promise<CommitHistory> {
  const listing = await listWindow(octokit, options);
  const perCommit = await mapWithConcurrency(
    listing.shas,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    (sha) => changedFiles(octokit, options, sha),
  );
  return {
    counts: countChanges(perCommit),
    commitsScanned: listing.shas.length,
    mergesSkipped: listing.mergesSkipped,
    requests: listing.pages + listing.shas.length,
    truncated: listing.truncated,
  };
}

interface Listing {
  /** Non-merge commits, newest first. */
  shas: string[];
  pages: number;
  mergesSkipped: number;
  truncated: boolean;
}

async function listWindow(
  octokit: CommitHistoryOctokit,
  options: CommitHistoryOptions,
): Promise<Listing> {
  const maxCommits = options.maxCommits ?? DEFAULT_MAX_COMMITS;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const listing: Listing = { shas: [], pages: 0, mergesSkipped: 0, truncated: false };
  const pages = octokit.paginate.iterator(octokit.rest.repos.listCommits, {
    owner: options.owner,
    repo: options.repo,
    since: options.since.toISOString(),
    ...(options.ref ? { sha: options.ref } : {}),
    per_page: PAGE_SIZE,
  });
  try {
    for await (const page of pages) {
      listing.pages += 1;
      const hasNextPage = /rel="next"/.test(page.headers.link ?? "");
      for (const commit of page.data) {
        if (commit.parents.length > 1) {
          listing.mergesSkipped += 1;
          continue;
        }
        if (listing.shas.length >= maxCommits) {
          listing.truncated = true;
          return listing;
        }
        listing.shas.push(commit.sha);
      }
      // Whether a next page holds more than merges is not worth a request to find out.
      if (listing.pages >= maxPages || listing.shas.length >= maxCommits) {
        listing.truncated = hasNextPage;
        return listing;
      }
    }
  } catch (error) {
    // An empty repository needs nothing here: GitHub answers 409, which paginate turns into an
    // empty page.
    throw refusal(error, options, "list the commits of");
  }
  return listing;
}

async function changedFiles(
  octokit: CommitHistoryOctokit,
  options: CommitHistoryOptions,
  sha: string,
): Promise<ChangedFile[]> {
  try {
    // The first page holds up to 300 files; bigger commits are mass edits (formatting, moves)
    // that say little about where work concentrates, so their remaining pages are not fetched.
    const { data } = await octokit.rest.repos.getCommit({
      owner: options.owner,
      repo: options.repo,
      ref: sha,
    });
    return (data.files ?? []).map((file) =>
      file.status === "renamed" && file.previous_filename
        ? { path: file.filename, renamedFrom: file.previous_filename }
        : { path: file.filename },
    );
  } catch (error) {
    throw refusal(error, options, `read commit ${sha.slice(0, 7)} of`);
  }
}

/**
 * Counts each commit once per file, newest commit first, so that a rename seen earlier maps the
 * old path of every older commit onto the file's newest name.
 */
export function countChanges(
  commitsNewestFirst: readonly (readonly ChangedFile[])[],
): Map<string, number> {
  const counts = new Map<string, number>();
  const newestName = new Map<string, string>();
  const resolve = (path: string) => newestName.get(path) ?? path;
  for (const files of commitsNewestFirst) {
    const touched = new Set<string>();
    for (const file of files) {
      const current = resolve(file.path);
      touched.add(current);
      if (file.renamedFrom !== undefined) newestName.set(file.renamedFrom, current);
    }
    for (const path of touched) counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return counts;
}

function refusal(
  error: unknown,
  options: CommitHistoryOptions,
  action: string,
): CommitHistoryError {
  const status = statusOf(error);
  const where = `${options.owner}/${options.repo}`;
  const advice =
    status === 401 || status === 403 || status === 404
      ? "check that Symphony is installed on the repository with the Contents: read permission"
      : "GitHub may be having trouble; the next scheduled run will try again";
  return new CommitHistoryError(
    `Symphony could not ${action} ${where}${status ? ` (HTTP ${status})` : ""}: ${advice}.`,
    status,
    { cause: error },
  );
}
