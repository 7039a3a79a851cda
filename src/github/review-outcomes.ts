// What became of Symphony's review findings across the repository: one GraphQL query for the
// review threads of the most recently updated pull requests (resolved, outdated, the replies), and
// one for the head text of the files where a suggestion may have been committed.
import { z } from "zod";
import type { ReviewThreadsClient } from "./review-dismissals.js";
import type { RepoRef } from "./client.js";

/** Pull requests, threads per pull request and comments per thread read: one request, bounded. */
export const OUTCOME_PULLS = 10;
export const OUTCOME_THREADS = 40;
export const OUTCOME_COMMENTS = 8;
/** Files read back to check committed suggestions, in one request. */
export const MAX_HEAD_FILES = 10;

export const REVIEW_OUTCOMES_QUERY = `query ($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    pullRequests(first: ${OUTCOME_PULLS}, orderBy: { field: UPDATED_AT, direction: DESC }) {
      nodes {
        number
        headRefOid
        reviewThreads(first: ${OUTCOME_THREADS}) {
          nodes {
            isResolved
            isOutdated
            path
            resolvedBy { login }
            comments(first: ${OUTCOME_COMMENTS}) {
              nodes { databaseId body author { __typename login } }
            }
          }
        }
      }
    }
  }
}`;

const authorSchema = z.object({ __typename: z.string(), login: z.string() }).nullish();

const outcomesSchema = z.object({
  repository: z.object({
    pullRequests: z.object({
      nodes: z.array(
        z.object({
          number: z.number().int(),
          headRefOid: z.string(),
          reviewThreads: z.object({
            nodes: z.array(
              z.object({
                isResolved: z.boolean(),
                isOutdated: z.boolean(),
                path: z.string(),
                resolvedBy: z.object({ login: z.string() }).nullish(),
                comments: z.object({
                  nodes: z.array(
                    z.object({
                      databaseId: z.number().int().nullable(),
                      body: z.string(),
                      author: authorSchema,
                    }),
                  ),
                }),
              }),
            ),
          }),
        }),
      ),
    }),
  }),
});

export interface ThreadComment {
  /** The REST id of the review comment. */
  id: number;
  body: string;
  /** The author's login as REST spells it (a bot's with `[bot]`); undefined for a deleted user. */
  author: string | undefined;
  bot: boolean;
}

/** One review thread that Symphony's finding opened, as GitHub shows it now. */
export interface FindingThread {
  pull: number;
  /** The pull request's head commit now. */
  headSha: string;
  path: string;
  resolved: boolean;
  resolvedBy: string | undefined;
  /** A later push changed the lines the comment was on. */
  outdated: boolean;
  /** The finding's own comment. */
  root: ThreadComment;
  /** The comments after it, oldest first (at most OUTCOME_COMMENTS − 1). */
  replies: ThreadComment[];
}

/** GraphQL names a bot `slug` where REST says `slug[bot]`. */
const restLogin = (author: { __typename: string; login: string }): string =>
  author.__typename === "Bot" && !author.login.endsWith("[bot]")
    ? `${author.login}[bot]`
    : author.login;

/**
 * The threads Symphony's own findings opened on the repository's most recently updated pull
 * requests, open or closed: one request, whatever the history.
 */
export async function readFindingThreads(
  client: ReviewThreadsClient,
  repo: RepoRef,
  botLogin: string,
): Promise<FindingThread[]> {
  const answer: unknown = await client.graphql(REVIEW_OUTCOMES_QUERY, {
    owner: repo.owner,
    repo: repo.repo,
  });
  const pulls = outcomesSchema.parse(answer).repository.pullRequests.nodes;
  const bot = botLogin.toLowerCase();
  return pulls.flatMap((pull) =>
    pull.reviewThreads.nodes.flatMap((thread): FindingThread[] => {
      const comments = thread.comments.nodes.flatMap((comment): ThreadComment[] =>
        comment.databaseId === null
          ? []
          : [
              {
                id: comment.databaseId,
                body: comment.body,
                author: comment.author ? restLogin(comment.author) : undefined,
                bot: comment.author?.__typename === "Bot",
              },
            ],
      );
      const [root, ...replies] = comments;
      if (root === undefined || !root.bot || root.author?.toLowerCase() !== bot) return [];
      return [
        {
          pull: pull.number,
          headSha: pull.headRefOid,
          path: thread.path,
          resolved: thread.isResolved,
          resolvedBy: thread.resolvedBy?.login,
          outdated: thread.isOutdated,
          root,
          replies,
        },
      ];
    }),
  );
}

export interface HeadFile {
  sha: string;
  path: string;
}

const blobSchema = z.object({ text: z.string().nullish() }).nullable();

/**
 * The text of up to MAX_HEAD_FILES files at given commits, in one GraphQL request (each file an
 * aliased `object(expression: "<sha>:<path>")`); a file that is missing, binary or too large for
 * GitHub to show is left out. Keys are `sha:path`.
 */
export async function readHeadFiles(
  client: ReviewThreadsClient,
  repo: RepoRef,
  files: readonly HeadFile[],
): Promise<Map<string, string>> {
  const wanted = [...new Map(files.map((file) => [`${file.sha}:${file.path}`, file])).keys()].slice(
    0,
    MAX_HEAD_FILES,
  );
  if (wanted.length === 0) return new Map();
  const variables = Object.fromEntries(
    wanted.map((expression, index) => [`e${index}`, expression]),
  );
  const query = `query ($owner: String!, $repo: String!, ${wanted
    .map((_, index) => `$e${index}: String!`)
    .join(", ")}) {
  repository(owner: $owner, name: $repo) {
${wanted.map((_, index) => `    f${index}: object(expression: $e${index}) { ... on Blob { text } }`).join("\n")}
  }
}`;
  const answer: unknown = await client.graphql(query, {
    owner: repo.owner,
    repo: repo.repo,
    ...variables,
  });
  const repository = z
    .object({ repository: z.record(z.string(), blobSchema) })
    .parse(answer).repository;
  const texts = new Map<string, string>();
  wanted.forEach((expression, index) => {
    const text = repository[`f${index}`]?.text;
    if (typeof text === "string") texts.set(expression, text);
  });
  return texts;
}
