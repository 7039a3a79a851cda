// `/symphony ask <question>`: the Editor answers in the conversation, with the pull request's diff as context.
import type { SymphonyCommand, CommandInvocation } from "../../app/commands.js";
import {
  answerQuestion,
  diffPart,
  type AnswerQuestion,
} from "../../agents/editor/review-answer.js";
import type { AgentCallOptions } from "../../agents/define-agent.js";
import { fetchPullRequest } from "../../github/pull-request.js";
import { listPullRequestFiles } from "../../github/pull-request-files.js";
import type { PullFile } from "../../github/pull-request-patch.js";
import { selectReviewableFiles } from "../review/skip.js";
import { clip, proseBlock } from "../../comments/sanitise.js";
import type { ModelRuntime, UsageRecord } from "../../runner/types.js";
import { noteOnce } from "../review/review-trigger.js";
import { startRun } from "../../app/start-run.js";

/** Longest question sent to the model; a question is a few lines, not a document. */
const MAX_QUESTION_CHARS = 4000;

export interface FittedDiff {
  diff: string;
  omitted: string[];
}

/**
 * The reviewable files' patches in GitHub's order, as many as fit in `budget` tokens with the
 * list of the paths left out: every path holds a place in that list until its patch is shown.
 */
export function fitDiff(
  files: readonly PullFile[],
  budget: number,
  estimateTokens: (text: string) => number,
  ignore: readonly string[],
): FittedDiff {
  const { reviewable } = selectReviewableFiles(files, { ignore, defaultIgnores: true });
  const byPath = new Map(files.map((file) => [file.filename, file]));
  const listCost = (path: string): number => estimateTokens(`${path}, `);
  const parts: string[] = [];
  const omitted: string[] = [];
  let listed =
    estimateTokens(diffPart("x", ["x"])) +
    reviewable.reduce((sum, file) => sum + listCost(file.path), 0);
  let used = 0;
  for (const file of reviewable) {
    const source = byPath.get(file.path);
    const text = `File: ${file.path} (${file.status}, +${file.additions} -${file.deletions})\n${source?.patch ?? ""}`;
    const cost = estimateTokens(text) + 1;
    if (used + cost + listed - listCost(file.path) > budget) {
      omitted.push(file.path);
      continue;
    }
    parts.push(text);
    used += cost;
    listed -= listCost(file.path);
  }
  return { diff: parts.join("\n\n"), omitted };
}

export interface DiffQuestion extends Omit<AnswerQuestion, "diff"> {
  /** The pull request's files; as many patches as fit are shown, the other paths listed. */
  files: readonly PullFile[];
  /** Globs left out (config `ignore` and `review.ignore`). */
  ignore: readonly string[];
}

/** Asks the Editor with as much of the diff as fits the model's context. */
export async function answerFromDiff(
  runtime: ModelRuntime,
  { files, ignore, ...question }: DiffQuestion,
  options: AgentCallOptions = {},
) {
  const estimate = (text: string): number => runtime.estimateTokens(text);
  const diff = {
    name: "diff",
    label: "the diff",
    weight: 1,
    fit: (room: number) => {
      const fitted = fitDiff(files, Math.max(0, room), estimate, ignore);
      return diffPart(fitted.diff, fitted.omitted);
    },
  };
  return answerQuestion.call(
    runtime,
    { ...question, diff: "" },
    {
      ...options,
      context: { sections: [diff], assemble: (input, c) => ({ ...input, diff: c["diff"] ?? "" }) },
    },
  );
}

export function renderAnswer(question: string, answer: string, usage: UsageRecord): string {
  const quoted = clip(question.replace(/\s+/g, " ").trim(), 300);
  return [
    `> ${proseBlock(quoted)}`,
    "",
    proseBlock(answer.trim()),
    "",
    `<sub>Answered by Symphony's Editor (\`${usage.model}\`, ${usage.promptTokens + usage.outputTokens} tokens) from this pull request's diff. Ask again with \`/symphony ask <question>\`.</sub>`,
  ].join("\n");
}

async function answer(
  invocation: CommandInvocation,
  question: string,
  signal: AbortSignal,
): Promise<{ text: string; usage: UsageRecord }> {
  const { context, config, services } = invocation;
  const pull = { ...context.repo(), pull_number: context.payload.issue.number };
  const data = await fetchPullRequest(context.octokit, pull);
  const { files } = await listPullRequestFiles(context.octokit, pull, data.changed_files);
  const { value, usage } = await answerFromDiff(
    services.runtime,
    {
      question,
      pullRequest: {
        number: data.number,
        title: data.title,
        description: clip(data.body ?? "", 1500),
      },
      language: config.language,
      files,
      ignore: [...config.ignore, ...config.review.ignore],
    },
    { model: config.models.editor, signal, maxContextTokens: config.max_context_tokens },
  );
  return { text: value.answer, usage };
}

async function onAsk(invocation: CommandInvocation): Promise<void> {
  const { context, command, config, services, log } = invocation;
  const issue = context.payload.issue;
  if (!issue.pull_request) {
    await noteOnce(
      invocation,
      "`/symphony ask` answers questions about pull requests; this is an issue.",
    );
    return;
  }
  const question = clip(
    [command.args, command.details].filter((part) => part !== "").join("\n"),
    MAX_QUESTION_CHARS,
  );
  if (question.trim() === "") {
    await noteOnce(invocation, "Ask a question after the command: `/symphony ask <question>`.");
    return;
  }
  const repo = context.repo();
  const commentId = context.payload.comment.id;
  await startRun({
    client: context.octokit,
    repo,
    services,
    config,
    event: {
      name: "issue_comment.created",
      deliveryId: context.id,
      sender: context.payload.sender.login,
      commentId,
    },
    number: issue.number,
    marker: { kind: "ask", key: String(commentId) },
    initialStatus: "💭 Reading the diff to answer your question…",
    // One key per question: a waiting question is never replaced by the next one.
    key: `${repo.owner}/${repo.repo}#${issue.number}:ask:${commentId}`,
    whileRunning: "follow-up",
    log,
    run: async ({ status, signal, log: runLog }) => {
      try {
        const result = await answer(invocation, question, signal);
        services.limits.recordTokens(
          `${repo.owner}/${repo.repo}`,
          result.usage.promptTokens + result.usage.outputTokens,
        );
        await status.flush(renderAnswer(question, result.text, result.usage));
      } catch (error) {
        runLog.error({ err: error }, "could not answer");
        const reason = error instanceof Error ? error.message : "an unexpected error";
        await status.flush(
          `❌ Symphony could not answer: ${reason}\n\nAsk again in a new comment; if it keeps failing, the app's logs have the details.`,
        );
      }
    },
  });
}

export const askCommand: SymphonyCommand = {
  name: "ask",
  usage: "/symphony ask <question>",
  summary: "Answer a question about this pull request from its diff.",
  run: onAsk,
};
