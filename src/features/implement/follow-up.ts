// A review on Symphony's pull request: the Editor addresses each comment as a new commit on the
// branch, and each thread gets a reply saying what changed, or why nothing did.
import type { Logger } from "probot";
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import type { EditTask } from "../../agents/editor/edit-schema.js";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import { changedLineCount } from "../../editing/diff.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import {
  branchHead,
  commitsAhead,
  createCommit,
  listTree,
  moveBranch,
  type BranchHead,
} from "../../github/git-data.js";
import {
  listReviewComments,
  pullRequestBody,
  replyInThread,
  updatePullRequestBody,
  type ReviewThreadComment,
} from "../../github/pull-request-write.js";
import { inlineCode, inlineProse } from "../../comments/sanitise.js";
import { ModelAbortedError, ModelRuntimeError } from "../../runner/errors.js";
import type { UsageRecord } from "../../runner/types.js";
import { designText } from "./design-text.js";
import {
  readFollowUpCommits,
  withFollowUpCommits,
  withHumanLook,
  type FollowUpCommit,
} from "./pull-request-body.js";
import { editTask, type EditedFile } from "./edit-task.js";
import { PullRequestBudget } from "./pull-request-budget.js";
import { WorkingTree } from "./working-tree.js";

export interface FollowUpInput {
  client: GitHubClient;
  repo: RepoRef;
  pull: { number: number; headRef: string; baseRef: string };
  review: { id: number; body: string; url?: string };
  /** The plan the pull request implements, when its comment could be read. */
  record: PlanRecord | undefined;
  config: RepoConfig;
  services: AppServices;
  signal: AbortSignal;
  log: Logger;
  onProgress?: (text: string) => void;
}

export type CommentOutcome =
  | { comment: ReviewThreadComment; status: "committed"; commitSha: string; path: string }
  | { comment: ReviewThreadComment; status: "not_changed"; reason: string };

export interface FollowUpResult {
  outcomes: CommentOutcome[];
  /** The review had no inline comments, only a body; its outcomes have no thread to reply in. */
  bodyOnly: boolean;
  /** A body-only review that names none of the pull request's files: nothing to act on. */
  noFileNamed: boolean;
  usage: UsageRecord[];
}

export async function addressReview(input: FollowUpInput): Promise<FollowUpResult> {
  const { client, repo, pull, config } = input;
  const inline = await listReviewComments(client, repo, pull.number, input.review.id);
  let head = await branchHead(client, repo, pull.headRef);
  if (head === undefined) throw new Error(`the branch ${pull.headRef} no longer exists`);
  const [tree, ahead] = await Promise.all([
    listTree(client, repo, head.treeSha),
    commitsAhead(client, repo, pull.baseRef, pull.headRef),
  ]);
  const bodyOnly = inline.length === 0;
  const comments = bodyOnly ? bodyRequests(input.review, ahead.files) : inline;
  if (comments.length === 0) {
    return { outcomes: [], bodyOnly, noFileNamed: true, usage: [] };
  }
  const working = new WorkingTree(client, repo, tree.entries, config.implement.max_file_bytes);
  const budget = new PullRequestBudget(config.implement, ahead.files);
  const design = input.record === undefined ? "" : designText(input.record);
  const usage: UsageRecord[] = [];
  const outcomes: CommentOutcome[] = [];
  for (const [index, comment] of comments.entries()) {
    input.onProgress?.(`comment ${index + 1}/${comments.length} on ${comment.path}`);
    const step = await addressComment(input, { comment, working, budget, head, design, index });
    usage.push(...step.usage);
    if (step.outcome.status === "committed") head = step.head;
    if (!bodyOnly) {
      await replyInThread(client, repo, {
        pullNumber: pull.number,
        threadId: comment.threadId,
        body: renderReply(step.outcome, step.changed),
      });
    }
    outcomes.push(step.outcome);
  }
  await listFollowUpCommits(input, outcomes);
  return { outcomes, bodyOnly, noFileNamed: false, usage };
}

/**
 * The pull request's body gains this run's commits, each with the comment it addressed, in one
 * edit. The commits and replies stand even when the edit fails, so that failure is only logged.
 */
async function listFollowUpCommits(
  input: FollowUpInput,
  outcomes: readonly CommentOutcome[],
): Promise<void> {
  const added = outcomes.flatMap((o): FollowUpCommit[] =>
    o.status === "committed"
      ? [
          {
            sha: o.commitSha,
            comment: o.comment.id,
            ...(o.comment.url === undefined ? {} : { url: o.comment.url }),
            path: o.path,
            ...(o.comment.line === undefined ? {} : { line: o.comment.line }),
            request: firstLine(o.comment.body, 100),
          },
        ]
      : [],
  );
  if (added.length === 0) return;
  const { client, repo, pull } = input;
  try {
    const body = await pullRequestBody(client, repo, pull.number);
    const commits = [...readFollowUpCommits(body), ...added];
    const listed = withHumanLook(
      withFollowUpCommits(body, commits),
      added.map((commit) => commit.path),
    );
    await updatePullRequestBody(client, repo, pull.number, listed);
  } catch (error) {
    input.log.warn({ err: error }, "could not list the follow-up commits in the pull request");
  }
}

/**
 * A review with only a body: one request per file of the pull request that the body names by
 * its path. A body naming no file gives the Editor nothing it could change with certainty.
 */
function bodyRequests(
  review: FollowUpInput["review"],
  files: readonly { filename: string }[],
): ReviewThreadComment[] {
  const body = review.body;
  if (body.trim() === "") return [];
  return files
    .filter((file) => body.includes(file.filename))
    .map((file) => ({
      id: review.id,
      threadId: review.id,
      path: file.filename,
      line: undefined,
      body,
      diffHunk: "",
      url: review.url,
    }));
}

interface CommentStep {
  outcome: CommentOutcome;
  head: BranchHead;
  usage: UsageRecord[];
  changed?: EditedFile;
}

async function addressComment(
  input: FollowUpInput,
  state: {
    comment: ReviewThreadComment;
    working: WorkingTree;
    budget: PullRequestBudget;
    head: BranchHead;
    design: string;
    index: number;
  },
): Promise<CommentStep> {
  const { comment, head } = state;
  const notChanged = (reason: string, usage: UsageRecord[] = []): CommentStep => ({
    outcome: { comment, status: "not_changed", reason },
    head,
    usage,
  });
  let edit;
  try {
    edit = await editTask(
      {
        runtime: input.services.runtime,
        tree: state.working,
        config: input.config,
        design: state.design,
        pseudocode: input.record?.visual?.pseudocode ?? "",
        signal: input.signal,
      },
      reviewTask(comment, state.index),
      [comment.path],
    );
  } catch (error) {
    if (!(error instanceof ModelRuntimeError) || error instanceof ModelAbortedError) throw error;
    return notChanged(`the model could not be used (${error.message})`);
  }
  if (!edit.ok) return notChanged(edit.failures[0]?.reason ?? "the edit failed", edit.usage);
  const file = edit.files[0];
  if (file === undefined) return notChanged("the Editor changed nothing", edit.usage);
  const refusal = state.budget.admit([
    { path: file.path, before: file.before, after: file.content },
  ]);
  if (refusal !== undefined) return notChanged(refusal.message, edit.usage);
  const write = {
    path: file.path,
    content: file.content,
    ...(file.mode ? { mode: file.mode } : {}),
  };
  const next = await createCommit(input.client, input.repo, {
    parent: head,
    message: `Address review: ${firstLine(comment.body)}\n\nReview comment ${comment.id} on ${comment.path}.`,
    files: [write],
  });
  await moveBranch(input.client, input.repo, {
    branch: input.pull.headRef,
    sha: next.sha,
    create: false,
  });
  state.working.wrote([write]);
  return {
    outcome: { comment, status: "committed", commitSha: next.sha, path: file.path },
    head: next,
    usage: edit.usage,
    changed: file,
  };
}

/** The Coordinator's task shape allows 1500 characters of description; the hunk gets what is left. */
const DESCRIPTION_LIMIT = 1500;

function reviewTask(comment: ReviewThreadComment, index: number): EditTask {
  const where = comment.line === undefined ? comment.path : `${comment.path} line ${comment.line}`;
  const head = `Change ${comment.path} so that this review comment on ${where} is addressed; change nothing else.\n\nThe comment:\n${comment.body.trim().slice(0, 900)}`;
  const room = DESCRIPTION_LIMIT - head.length - 60;
  const hunk =
    comment.diffHunk === "" || room <= 0
      ? ""
      : `\n\nThe lines it is on (end of the diff hunk):\n${comment.diffHunk.slice(-room)}`;
  return {
    task_id: `R${index + 1}`,
    title: `Address the review comment on ${where}`.slice(0, 200),
    description: `${head}${hunk}`.slice(0, DESCRIPTION_LIMIT),
    success_criteria: ["The reviewer's comment is addressed in this file."],
  };
}

function renderReply(outcome: CommentOutcome, changed: EditedFile | undefined): string {
  if (outcome.status === "committed") {
    const lines = changed === undefined ? 0 : changedLineCount(changed.before, changed.content);
    return `Addressed in ${outcome.commitSha}: changed ${inlineCode(outcome.path)} (${lines} line${lines === 1 ? "" : "s"}).`;
  }
  return `I could not act on this: ${inlineProse(outcome.reason)}. A person will need to make this change, or reword the comment and submit another review.`;
}

function firstLine(text: string, limit = 60): string {
  const line = text.trim().split(/\r?\n/)[0]?.replace(/\s+/g, " ").trim() ?? "";
  return line.length <= limit ? line : `${line.slice(0, limit - 1)}…`;
}
