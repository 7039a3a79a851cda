// The head commit's text of the files a review shows, for a few lines of context around each hunk.
import type { Logger } from "probot";
import type { GitHubClient, RepoRef } from "./client.js";
import { createFileReader } from "./repository-snapshot.js";

/** Files read per review: one Contents API call each, so large pull requests go without. */
export const MAX_HEAD_FILES = 30;
const CONCURRENCY = 4;
const MAX_FILE_BYTES = 200_000;

/**
 * Lines of each file at `head`, read `CONCURRENCY` at a time; a file that cannot be read (too
 * large, binary, gone, an API error) simply has no context: the review does not depend on it.
 */
export async function readHeadFiles(
  client: GitHubClient,
  repo: RepoRef,
  head: string,
  paths: readonly string[],
  log: Pick<Logger, "debug">,
): Promise<Map<string, string[]>> {
  const read = createFileReader(client, { ...repo, ref: head, maxBytes: MAX_FILE_BYTES });
  const lines = new Map<string, string[]>();
  const queue = paths.slice(0, MAX_HEAD_FILES);
  const worker = async (): Promise<void> => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      try {
        const text = await read(path);
        if (text !== undefined) lines.set(path, text.split(/\r?\n/));
      } catch (error) {
        log.debug({ err: error, path }, "no context lines for this file");
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return lines;
}
