// A reply that mentions Symphony in one of its review threads: the Editor answers in that thread.
import type { Context, Logger } from "probot";
import { answerQuestion } from "../../agents/editor/review-answer.js";
import { dispatchToActions, handsOff } from "../../app/hand-off.js";
import { QueueClosedError, QueueFullError } from "../../app/queue.js";
import type { AppServices } from "../../app/services.js";
import { InvalidConfigError } from "../../config/errors.js";
import { loadRepoConfigOrProblem } from "../../config/load.js";
import type { RepoConfig } from "../../config/schema.js";
import { renderMarker } from "../../github/markers.js";
import { hasPermission } from "../../github/permission.js";
import type { PullRef } from "../../github/pull-request-files.js";
import {
  fetchReviewComment,
  fetchReviewThread,
  replyInThread,
} from "../../github/pull-request-review-thread.js";
import { clip, proseBlock } from "../../comments/sanitise.js";

type ReviewCommentContext = Context<"pull_request_review_comment.created">;

/** Symphony's own pull requests: the implement feature answers review comments there. */
const OWN_BRANCH_PREFIX = "symphony/";
const MAX_THREAD_COMMENT_CHARS = 3000;

/** `@slug` or `@slug[bot]` as a word of its own, for the app's login `slug[bot]`. */
export function mentions(body: string, botLogin: string): boolean {
  const slug = botLogin.replace(/\[bot\]$/i, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w@/-])@${slug}(\\[bot\\])?(?![\\w-])`, "i").test(body);
}

function withoutMention(body: string, botLogin: string): string {
  const slug = botLogin.replace(/\[bot\]$/i, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return body.replace(new RegExp(`@${slug}(\\[bot\\])?`, "gi"), "").trim();
}

const replyMarker = (commentId: number): string =>
  renderMarker({ kind: "thread-reply", key: String(commentId) });

export async function onReviewComment(
  context: ReviewCommentContext,
  services: AppServices,
): Promise<void> {
  const { comment, pull_request: pullRequest } = context.payload;
  // Bots never trigger anything, Symphony's own replies included.
  if (context.isBot || comment.user?.type === "Bot") return;
  if (pullRequest.head.ref.startsWith(OWN_BRANCH_PREFIX)) return;
  const rootId = comment.in_reply_to_id;
  if (rootId === undefined || rootId === null) return;
  const botLogin = await services.botLogin();
  if (!mentions(comment.body, botLogin)) return;
  if (services.queue.hasSeen(context.id)) return;
  const log = context.log.child({
    name: "symphony:thread-reply",
    pull: pullRequest.number,
    comment: comment.id,
  });
  const pull: PullRef = { ...context.repo(), pull_number: pullRequest.number };
  const root = await fetchReviewComment(context.octokit, pull, rootId);
  if (root?.user?.login.toLowerCase() !== botLogin.toLowerCase()) return;

  const config = await readConfig(context, log);
  if (config === undefined) return;
  if (!(await hasPermission(context, config.permission))) {
    log.info({ sender: context.payload.sender.login }, "ignored: sender lacks permission");
    return;
  }
  const repository = `${pull.owner}/${pull.repo}`;
  const admission = await services.limits.admit({ repository, user: context.payload.sender.login });
  if (!admission.ok) {
    await replyInThread(
      context.octokit,
      pull,
      rootId,
      `${replyMarker(comment.id)}\n${admission.reason}`,
    );
    return;
  }
  if (handsOff(config, services.mode)) {
    await dispatchToActions(context.octokit, context.repo(), {
      event: "pull_request_review_comment.created",
      number: pull.pull_number,
      delivery_id: context.id,
      sender: context.payload.sender.login,
      comment_id: comment.id,
    });
    return;
  }
  try {
    services.queue.enqueue({
      key: `${repository}#${pull.pull_number}:thread-reply:${comment.id}`,
      repository,
      deliveryId: context.id,
      whileRunning: "follow-up",
      run: (signal) => answerInThread({ context, services, config, pull, rootId, signal, log }),
    });
  } catch (error) {
    if (!(error instanceof QueueFullError) && !(error instanceof QueueClosedError)) throw error;
    await replyInThread(
      context.octokit,
      pull,
      rootId,
      `${replyMarker(comment.id)}\n⏸️ ${error.message}`,
    );
  }
}

async function readConfig(
  context: ReviewCommentContext,
  log: Logger,
): Promise<RepoConfig | undefined> {
  const config = await loadRepoConfigOrProblem(context);
  if (!(config instanceof InvalidConfigError)) return config;
  log.warn({ problems: config.problems }, "not answered: the repository's config is invalid");
  return undefined;
}

interface ThreadAnswer {
  context: ReviewCommentContext;
  services: AppServices;
  config: RepoConfig;
  pull: PullRef;
  rootId: number;
  signal: AbortSignal;
  log: Logger;
}

async function answerInThread(job: ThreadAnswer): Promise<void> {
  const { context, services, config, pull, rootId, log } = job;
  const { comment, pull_request: pullRequest } = context.payload;
  const botLogin = await services.botLogin();
  const marker = replyMarker(comment.id);
  let body: string;
  try {
    const thread = await fetchReviewThread(context.octokit, pull, rootId);
    if (thread === undefined) return;
    // Answered already (the webhook came again after a restart).
    // Only Symphony's own replies count: anyone can paste the marker into theirs.
    const own = (login: string | undefined): boolean =>
      login?.toLowerCase() === botLogin.toLowerCase();
    if (thread.replies.some((reply) => own(reply.user?.login) && reply.body.includes(marker))) {
      return;
    }
    const earlier = thread.replies.filter((reply) => reply.id !== comment.id);
    const result = await answerQuestion.call(
      services.runtime,
      {
        question: clip(withoutMention(comment.body, botLogin), MAX_THREAD_COMMENT_CHARS),
        pullRequest: {
          number: pullRequest.number,
          title: pullRequest.title,
          description: clip(pullRequest.body ?? "", 1500),
        },
        diff: "",
        thread: {
          path: thread.root.path,
          ...(thread.root.line ? { line: thread.root.line } : {}),
          diffHunk: clip(thread.root.diff_hunk, 6000),
          comments: [thread.root, ...earlier].map((entry) => ({
            author: entry.user?.login ?? "someone",
            body: clip(entry.body, MAX_THREAD_COMMENT_CHARS),
          })),
        },
        language: config.language,
      },
      {
        model: config.models.editor,
        signal: job.signal,
        maxContextTokens: config.max_context_tokens,
      },
    );
    services.limits.recordTokens(
      `${pull.owner}/${pull.repo}`,
      result.usage.promptTokens + result.usage.outputTokens,
    );
    body = proseBlock(result.value.answer.trim());
  } catch (error) {
    log.error({ err: error }, "could not answer in the review thread");
    const reason = error instanceof Error ? error.message : "an unexpected error";
    body = `Symphony could not answer: ${reason}. Mention me again to retry.`;
  }
  await replyInThread(context.octokit, pull, rootId, `${marker}\n${body}`);
}
