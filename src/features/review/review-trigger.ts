// What starts a review: a pull request event the settings ask for, or `/symphony review`.
import type { Context, Logger } from "probot";
import type { CommandInvocation } from "../../app/commands.js";
import type { AppServices } from "../../app/services.js";
import { InvalidConfigError } from "../../config/errors.js";
import { loadRepoConfigOrProblem } from "../../config/load.js";
import type { RepoConfig } from "../../config/schema.js";
import type { RepoRef } from "../../github/client.js";
import { findMarkedComment, upsertMarkedComment } from "../../github/marked-comment.js";
import { parseReviewState } from "./state.js";
import { runReview, type ReviewClient } from "./review-run.js";
import { statusOverLastReview } from "./review-status.js";
import { startRun, type RunStart } from "../../app/start-run.js";

export const REVIEW_ACTIONS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.synchronize",
] as const;
type PullRequestContext = Context<(typeof REVIEW_ACTIONS)[number]>;
type PullRequestPayload = PullRequestContext["payload"];

/** Why an event starts no review, or undefined when it does. */
export function whyNoReview(config: RepoConfig, payload: PullRequestPayload): string | undefined {
  const pull = payload.pull_request;
  if (!config.review.enabled) return "reviews are turned off (review.enabled)";
  if (!config.review.auto.includes(payload.action))
    return `review.auto leaves out ${payload.action}`;
  if (pull.state !== "open") return "the pull request is closed";
  if (pull.draft && !config.review.drafts) return "a draft (review.drafts is off)";
  if (pull.user?.type === "Bot" && !config.review.bots)
    return "opened by a bot (review.bots is off)";
  if (pull.labels.some((label) => label.name === config.skip_label)) {
    return `labelled ${config.skip_label}`;
  }
  return undefined;
}

/**
 * `pull_request` opened, reopened, ready_for_review, synchronize. Not gated by the sender's role:
 * a pull request from a fork is exactly what needs a review, and the author cannot choose what
 * the review does or costs.
 */
export async function onPullRequest(
  context: PullRequestContext,
  services: AppServices,
): Promise<void> {
  const { pull_request: pull, action } = context.payload;
  const log = context.log.child({ name: "symphony:review", pull: pull.number, action });
  // A redelivered webhook: its run was queued already.
  if (services.queue.hasSeen(context.id)) return;
  const config = await loadRepoConfigOrProblem(context);
  if (config instanceof InvalidConfigError) {
    // Not on the pull request: its author may not even be able to fix the file.
    log.warn({ problems: config.problems }, "not reviewed: the repository's config is invalid");
    return;
  }
  const skip = whyNoReview(config, context.payload);
  if (skip !== undefined) {
    log.info({ reason: skip }, "not reviewed");
    return;
  }
  await startReview({
    client: context.octokit,
    repo: context.repo(),
    number: pull.number,
    headSha: pull.head.sha,
    full: false,
    services,
    config,
    event: {
      name: `pull_request.${action}`,
      deliveryId: context.id,
      sender: context.payload.sender.login,
    },
    log,
  });
}

interface ReviewStart {
  client: ReviewClient;
  repo: RepoRef;
  number: number;
  /** The head the event names; undefined for a command, which reviews whatever is there. */
  headSha?: string;
  full: boolean;
  services: AppServices;
  config: RepoConfig;
  event: { name: string; deliveryId: string; sender: string; commentId?: number };
  log: Logger;
}

async function startReview(start: ReviewStart): Promise<RunStart | "reviewed-already"> {
  const { client, repo, number, services, log } = start;
  const marker = { kind: "review", key: String(number) };
  const existing = await findMarkedComment(
    client,
    { ...repo, issue_number: number },
    marker,
    await services.botLogin(),
  );
  if (!start.full && parseReviewState(existing?.body)?.headSha === start.headSha) {
    log.info({ head: start.headSha }, "this head was reviewed already");
    return "reviewed-already";
  }
  const key = `${repo.owner}/${repo.repo}#${number}:review`;
  // Pull requests asked a full review of, until their run starts (services.memory says why).
  const fullReviewAsked = services.memory.fullReviews;
  if (start.full) fullReviewAsked.add(key);
  const outcome = await startRun({
    client,
    repo,
    services,
    config: start.config,
    event: start.event,
    number,
    marker,
    key,
    initialStatus: statusOverLastReview("⏳ Reviewing…", existing?.body, number),
    whileRunning: "follow-up",
    log,
    run: ({ status, signal, log: runLog }) =>
      runReview({
        client,
        repo,
        number,
        services,
        config: start.config,
        full: fullReviewAsked.delete(key),
        status,
        signal,
        log: runLog,
      }),
  });
  // Only a queued run consumes the request; otherwise a later push would review in full.
  if (outcome !== "queued" && outcome !== "coalesced" && outcome !== "follow-up") {
    fullReviewAsked.delete(key);
  }
  log.info({ outcome, full: start.full }, "review requested");
  return outcome;
}

/** `/symphony review`: a full review of the pull request the comment is on. */
export async function onReviewCommand(invocation: CommandInvocation): Promise<void> {
  const { context, config, services, log } = invocation;
  const issue = context.payload.issue;
  if (!issue.pull_request) {
    await noteOnce(invocation, "`/symphony review` works on pull requests; this is an issue.");
    return;
  }
  if (!config.review.enabled) {
    await noteOnce(
      invocation,
      "Reviews are turned off for this repository (`review.enabled: false` in `.github/symphony.yml`).",
    );
    return;
  }
  await startReview({
    client: context.octokit,
    repo: context.repo(),
    number: issue.number,
    full: true,
    services,
    config,
    event: {
      name: "issue_comment.created",
      deliveryId: context.id,
      sender: context.payload.sender.login,
      commentId: context.payload.comment.id,
    },
    log,
  });
}

/** One reply per command comment, edited rather than repeated when the webhook comes again. */
export async function noteOnce(invocation: CommandInvocation, body: string): Promise<void> {
  const { context, services } = invocation;
  await upsertMarkedComment(
    context.octokit,
    context.issue(),
    { kind: "note", key: String(context.payload.comment.id) },
    body,
    await services.botLogin(),
  );
}
