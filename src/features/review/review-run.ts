// The queued part of a review: read the pull request and the last review, review, post, update the summary.
import type { Logger, ProbotOctokit } from "probot";
import { routedReason } from "../../agents/conductor/bandit.js";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { collaboratorAccess, meetsPermission } from "../../github/permission.js";
import { findMarkedComment } from "../../github/marked-comment.js";
import { findPostedReview } from "../../github/pull-request-review.js";
import { fetchPullRequest } from "../../github/pull-request.js";
import { compareHeads } from "../../github/pull-request-compare.js";
import { listPullRequestFiles, type PullRef } from "../../github/pull-request-files.js";
import { readHeadFiles } from "../../github/pull-request-head-files.js";
import { dismissedFindings } from "../../github/review-dismissals.js";
import type { StatusComment } from "../../github/status-comment.js";
import { reviewOptionsFrom, type ReviewOptions } from "./options.js";
import { parseFileDiff, type PullFile } from "../../github/pull-request-patch.js";
import { postReview, reusePostedReview } from "./post-review.js";
import { reviewPullRequest, type ReviewOutcome } from "./review-pull-request.js";
import type { ReviewArm } from "./run-details.js";
import { selectReviewableFiles } from "./skip.js";
import { parseReviewState, type ReviewState } from "./state.js";
import { ModelAbortedError } from "../../runner/errors.js";
import { lastReview, statusOverLastReview } from "./review-status.js";

/** The REST client plus GraphQL, which tells which review threads people resolved. */
export type ReviewClient = GitHubClient & Pick<ProbotOctokit, "graphql">;

export interface ReviewRunInput {
  client: ReviewClient;
  repo: RepoRef;
  number: number;
  services: AppServices;
  config: RepoConfig;
  /** A person asked (`/symphony review`): the whole diff, even for a head reviewed already. */
  full: boolean;
  status: StatusComment;
  signal: AbortSignal;
  log: Logger;
}

const short = (sha: string): string => sha.slice(0, 7);

/** The review's file list: the whole pull request, or only what changed since the last review. */
interface ReviewScope {
  files: PullFile[];
  /** Every file of the pull request, to check that comments land on its diff. */
  pullFiles: PullFile[];
  truncated: boolean;
  since?: string;
}

async function scopeOf(
  input: ReviewRunInput,
  pull: PullRef,
  head: { sha: string; changedFiles: number },
  previous: ReviewState | undefined,
): Promise<ReviewScope> {
  const all = await listPullRequestFiles(input.client, pull, head.changedFiles);
  const whole = { files: all.files, pullFiles: all.files, truncated: all.truncated };
  if (input.full || previous === undefined) return whole;
  const changes = await compareHeads(input.client, input.repo, previous.headSha, head.sha);
  if (changes.kind === "full") {
    input.log.info({ reason: changes.reason, since: previous.headSha }, "reviewing the whole diff");
    return whole;
  }
  // A merge of the base branch brings in files the pull request does not change: not its to review.
  const inPull = new Set(all.files.map((file) => file.filename));
  return {
    files: changes.files.filter((file) => inPull.has(file.filename)),
    pullFiles: all.files,
    truncated: false,
    since: previous.headSha,
  };
}

/** The head text of the files the model will see, for `review.context_lines` around each hunk. */
async function headContext(
  input: ReviewRunInput,
  head: string,
  files: readonly PullFile[],
  options: ReviewOptions,
): Promise<(path: string) => readonly string[] | undefined> {
  if (options.contextLines === 0) return () => undefined;
  const { reviewable } = selectReviewableFiles(files, options);
  const paths = reviewable.slice(0, options.maxFiles).map((file) => file.path);
  const lines = await readHeadFiles(input.client, input.repo, head, paths, input.log);
  return (path) => lines.get(path);
}

/**
 * Each review agent's model and who named it, for the run details. Reviews are not learned from
 * (the Conductor learns on plans), so this is the config's pin or the operator's routing.
 */
function reviewArms(input: ReviewRunInput): ReviewArm[] {
  const agents = ["editor", "planner", "visualizer"] as const;
  return agents.flatMap((agent) => {
    const routed = input.services.runtime.modelFor?.(agent, input.config.models[agent]);
    if (routed === undefined) return [];
    const why = routedReason(agent, routed);
    const reason = routed.from === "repository" ? why : `reviews are not learned from: ${why}`;
    return [{ agent, model: routed.model, reason }];
  });
}

function progressLine(
  head: string,
  since: string | undefined,
  done: number,
  total: number,
): string {
  const what = since
    ? `the changes from \`${short(since)}\` to \`${short(head)}\``
    : `\`${short(head)}\``;
  return `⏳ Reviewing ${what}… ${done} of ${total} ${total === 1 ? "part" : "parts"} of the diff done.`;
}

function failureLine(error: unknown): string {
  if (
    error instanceof ModelAbortedError ||
    (error instanceof Error && error.name === "AbortError")
  ) {
    return "⏸️ The review stopped: Symphony was shutting down. Push again or comment `/symphony review` to run it.";
  }
  const reason = error instanceof Error ? error.message : "an unexpected error";
  return `❌ The review stopped: ${reason}\n\nPush again or comment \`/symphony review\` to retry; if it keeps failing, the app's logs have the details.`;
}

function tokensOf(outcome: ReviewOutcome): number {
  return outcome.summaryInput.runDetails.usage.reduce(
    (sum, record) => sum + record.promptTokens + record.outputTokens,
    0,
  );
}

/** Reviews the pull request as it is now and writes the summary into `input.status`. */
export async function runReview(input: ReviewRunInput): Promise<void> {
  const { client, repo, number, status, log } = input;
  const pull: PullRef = { ...repo, pull_number: number };
  const author = await input.services.botLogin();
  // What startRun wrote carries the last review as it was when the trigger came.
  let previousBody = status.body;
  try {
    // Read again now: a run that finished while this one waited changed the state.
    const existing = await findMarkedComment(
      client,
      { ...repo, issue_number: number },
      { kind: "review", key: String(number) },
      author,
    );
    previousBody = existing?.body ?? previousBody;
    const previous = parseReviewState(previousBody);
    const data = await fetchPullRequest(client, pull);
    const reviewedAlready = !input.full && previous?.headSha === data.head.sha;
    if (reviewedAlready || data.state !== "open") {
      // A redelivered webhook, a second trigger for the same head, or closed while it waited.
      log.info({ head: data.head.sha, state: data.state }, "nothing to review");
      await status.flush(
        lastReview(previousBody, number) ?? "Not reviewed: the pull request is closed.",
      );
      return;
    }
    const head = { sha: data.head.sha, changedFiles: data.changed_files };
    const scope = await scopeOf(input, pull, head, previous);
    const dismissed =
      previous && previous.posted.length > 0
        ? await dismissedFindings(client, pull, author, log, async (login) =>
            meetsPermission(await collaboratorAccess(client, repo, login), input.config.permission),
          )
        : [];
    const options = reviewOptionsFrom(input.config);
    const headLines = await headContext(input, head.sha, scope.files, options);
    const outcome = await reviewPullRequest(input.services.runtime, {
      pullRequest: { number, title: data.title, body: data.body, headSha: head.sha },
      files: scope.files,
      fileListTruncated: scope.truncated,
      ...(scope.since ? { since: scope.since } : {}),
      ...(previous ? { previousState: previous } : {}),
      dismissed,
      options,
      headLines,
      models: {
        editor: input.config.models.editor,
        planner: input.config.models.planner,
        visualizer: input.config.models.visualizer,
      },
      arms: reviewArms(input),
      ...(input.config.max_context_tokens !== undefined
        ? { maxContextTokens: input.config.max_context_tokens }
        : {}),
      signal: input.signal,
      onChunkReviewed: (done, total) =>
        status.update(
          statusOverLastReview(
            progressLine(head.sha, scope.since, done, total),
            previousBody,
            number,
          ),
        ),
    });
    input.services.limits.recordTokens(`${repo.owner}/${repo.repo}`, tokensOf(outcome));
    // The summary does not know this head: a run that died after posting may have left a review.
    const postedAlready =
      outcome.review && previous?.headSha !== head.sha
        ? await findPostedReview(client, pull, head.sha, author)
        : undefined;
    if (postedAlready)
      log.info({ review: postedAlready.id }, "this head has a review already; not posting again");
    const posted = postedAlready
      ? reusePostedReview(outcome, postedAlready)
      : await postReview(
          client,
          pull,
          outcome,
          scope.pullFiles.map((file) => parseFileDiff(file)),
          log,
        );
    await status.flush(posted.outcome.summary);
    log.info(
      {
        head: head.sha,
        since: scope.since,
        inline: posted.outcome.placement.inline.length,
        unplaced: posted.outcome.placement.unplaced.length,
      },
      "review posted",
    );
  } catch (error) {
    log.error({ err: error }, "the review failed");
    await status.flush(statusOverLastReview(failureLine(error), previousBody, number));
  }
}
