// Which of Symphony's findings people dismissed: their thread resolved, or answered "won't fix".
import type { Logger, ProbotOctokit } from "probot";
import { z } from "zod";
import { parseFindingFingerprint } from "./finding-marker.js";
import type { GitHubClient } from "./client.js";
import type { PullRef } from "./pull-request-files.js";

/** The REST client plus GraphQL, which alone tells whether a review thread is resolved. */
export type ReviewThreadsClient = GitHubClient & Pick<ProbotOctokit, "graphql">;

/** Review comments read per pull request; far beyond what one conversation holds. */
const MAX_REVIEW_COMMENTS = 3000;
const MAX_THREAD_PAGES = 10;

/** A reply that dismisses a finding: "won't fix", "wont fix", "wontfix", "won’t-fix". */
export const WONT_FIX = /\bwon['’]?t[ -]?fix\b|\bwontfix\b/i;

export interface FindingComment {
  id: number;
  fingerprint: string;
}

/** Symphony's inline finding comments (thread roots by the bot that carry a fingerprint). */
export async function listReviewCommentsOf(
  client: GitHubClient,
  pull: PullRef,
): Promise<ReviewCommentEntry[]> {
  const comments: ReviewCommentEntry[] = [];
  const pages = client.paginate.iterator(client.rest.pulls.listReviewComments, {
    ...pull,
    per_page: 100,
  });
  for await (const page of pages) {
    comments.push(...page.data);
    if (comments.length >= MAX_REVIEW_COMMENTS) break;
  }
  return comments;
}

export type ReviewCommentEntry = Awaited<
  ReturnType<GitHubClient["rest"]["pulls"]["listReviewComments"]>
>["data"][number];

const isBy = (comment: ReviewCommentEntry, login: string): boolean =>
  comment.user?.login.toLowerCase() === login.toLowerCase();

/**
 * Fingerprints of the bot's findings that a person dismissed. Resolved threads come from GraphQL;
 * when that fails (an older GitHub Enterprise, a missing permission) the replies still count.
 */
export async function dismissedFindings(
  client: ReviewThreadsClient,
  pull: PullRef,
  botLogin: string,
  log: Pick<Logger, "warn">,
  mayDismiss: (login: string) => Promise<boolean>,
): Promise<string[]> {
  // Only the role the settings name dismisses: the pull request's author cannot silence a finding.
  const allowed = new Map<string, Promise<boolean>>();
  const may = (login: string | undefined): Promise<boolean> => {
    if (login === undefined) return Promise.resolve(false);
    const key = login.toLowerCase();
    if (!allowed.has(key)) allowed.set(key, mayDismiss(login));
    return allowed.get(key)!;
  };
  const comments = await listReviewCommentsOf(client, pull);
  const findings = new Map<number, string>();
  for (const comment of comments) {
    const fingerprint = parseFindingFingerprint(comment.body);
    if (comment.in_reply_to_id == null && fingerprint && isBy(comment, botLogin)) {
      findings.set(comment.id, fingerprint);
    }
  }
  if (findings.size === 0) return [];
  const dismissed = new Set<string>();
  for (const reply of comments) {
    const root = reply.in_reply_to_id == null ? undefined : findings.get(reply.in_reply_to_id);
    if (root && reply.user?.type !== "Bot" && WONT_FIX.test(reply.body)) {
      if (await may(reply.user?.login)) dismissed.add(root);
    }
  }
  try {
    for (const { id, resolvedBy } of await resolvedThreadRoots(client, pull)) {
      const fingerprint = findings.get(id);
      if (fingerprint && (await may(resolvedBy))) dismissed.add(fingerprint);
    }
  } catch (error) {
    log.warn({ err: error }, "could not read which review threads are resolved");
  }
  return [...dismissed];
}

const threadsSchema = z.object({
  repository: z.object({
    pullRequest: z.object({
      reviewThreads: z.object({
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        nodes: z.array(
          z.object({
            isResolved: z.boolean(),
            resolvedBy: z.object({ login: z.string() }).nullish(),
            comments: z.object({
              nodes: z.array(z.object({ databaseId: z.number().int().nullable() })),
            }),
          }),
        ),
      }),
    }),
  }),
});

export const RESOLVED_THREADS_QUERY = `query ($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { isResolved resolvedBy { login } comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`;

/** The REST ids of the first comment of every resolved review thread, and who resolved it. */
async function resolvedThreadRoots(
  client: ReviewThreadsClient,
  pull: PullRef,
): Promise<{ id: number; resolvedBy: string | undefined }[]> {
  const roots: { id: number; resolvedBy: string | undefined }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_THREAD_PAGES; page++) {
    const answer: unknown = await client.graphql(RESOLVED_THREADS_QUERY, {
      owner: pull.owner,
      repo: pull.repo,
      number: pull.pull_number,
      cursor,
    });
    const threads = threadsSchema.parse(answer).repository.pullRequest.reviewThreads;
    for (const thread of threads.nodes) {
      const id = thread.comments.nodes[0]?.databaseId;
      if (thread.isResolved && typeof id === "number") {
        roots.push({ id, resolvedBy: thread.resolvedBy?.login });
      }
    }
    if (!threads.pageInfo.hasNextPage || threads.pageInfo.endCursor === null) break;
    cursor = threads.pageInfo.endCursor;
  }
  return roots;
}
