// What changed between the head Symphony reviewed last and the new head: the compare API, or why not.
import type { PullFile } from "./pull-request-patch.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { pullFile } from "./pull-request-files.js";
import { statusOf } from "./http-status.js";

/** The compare API lists at most this many files; a longer comparison is unknown past it. */
export const COMPARE_FILES_API_CAP = 300;

export type NewChanges =
  /** The last reviewed head is an ancestor of the new one: these files hold only the new changes. */
  | { kind: "incremental"; files: PullFile[] }
  /** Nothing to compare against: a force-push rewrote history, or the comparison is too big. */
  | { kind: "full"; reason: "force-push" | "too-many-files" };

/**
 * The changes from `lastHead` to `head`. After a force-push GitHub answers "diverged" or "behind",
 * or 404 when the old commit is gone; all three mean the last review no longer applies.
 */
export async function compareHeads(
  client: GitHubClient,
  repo: RepoRef,
  lastHead: string,
  head: string,
): Promise<NewChanges> {
  let data;
  try {
    // One commit per page keeps the answer small; the file list is on the first page anyway.
    ({ data } = await client.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${lastHead}...${head}`,
      per_page: 1,
    }));
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 422)
      return { kind: "full", reason: "force-push" };
    throw error;
  }
  if (data.status !== "ahead" && data.status !== "identical") {
    return { kind: "full", reason: "force-push" };
  }
  const files = (data.files ?? []).map(pullFile);
  if (files.length >= COMPARE_FILES_API_CAP) return { kind: "full", reason: "too-many-files" };
  return { kind: "incremental", files };
}
