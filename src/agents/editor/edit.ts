// The Editor's edit step: ask the model for one file's edit, apply it by code, and send it back with the reason until it applies or attempts run out.
import { ReplyCutOffError } from "../../runner/cut-off.js";
import { ModelOutputError } from "../../runner/errors.js";
import type { ModelRuntime, UsageRecord } from "../../runner/types.js";
import {
  checkContent,
  checkPath,
  DEFAULT_IMPLEMENT_LIMITS,
  type ImplementLimits,
  type Refusal,
  type TreeEntry,
} from "../../editing/safety.js";
import type { SecretScanOptions } from "../../comments/secrets.js";
import { lineTexts } from "../../editing/text-lines.js";
import { checkEditReply, type EditProblem } from "./edit-reply.js";
import type { AgentCallOptions } from "../define-agent.js";
import { EDIT_AGENTS } from "./edit-agent.js";
import { cutOffReply, type ReadReply } from "./edit-reply-text.js";
import { fitEditPrompt, withAttempt } from "./edit-fit.js";
import { EDIT_PROMPT_VERSIONS, retryFeedback, type EditPromptInput } from "./edit-prompt.js";
import {
  editFileInputSchema,
  type EditFileInput,
  type EditFormat,
  type EditReply,
} from "./edit-schema.js";

/** Model calls per file: the first ask and one re-ask with the reason. */
export const DEFAULT_MAX_ATTEMPTS = 2;

export interface EditFileOptions {
  /** The branch head's tree with modes, so paths through symlinks are refused. */
  tree: readonly TreeEntry[];
  /** The repository's `implement.*` settings; defaults where absent. */
  limits?: Partial<ImplementLimits>;
  /** Model calls before the task is marked failed; default 2. */
  maxAttempts?: number;
  model?: string;
  signal?: AbortSignal;
  tabWidth?: number;
  secretScan?: SecretScanOptions;
  /** The settings' `max_context_tokens`: a cap below the model's own prompt budget. */
  maxContextTokens?: number;
}

export type EditFileResult =
  | {
      status: "edited";
      path: string;
      format: EditFormat;
      before: string | undefined;
      after: string;
      /** Unified diff for logs and the pull request body. */
      diff: string;
      /** What the model said it changes and why, before its edit. */
      reasoning: string;
      attempts: number;
      promptVersion: string;
      usage: UsageRecord[];
    }
  | {
      status: "failed";
      path: string;
      format: EditFormat;
      /** Why the task failed, as the pull request body shows it. */
      reason: string;
      problem: EditProblem;
      attempts: number;
      promptVersion: string;
      usage: UsageRecord[];
    };

/** New files and files up to `wholeFileMaxLines` lines are written whole; longer ones in blocks. */
export function chooseEditFormat(
  currentContent: string | undefined,
  wholeFileMaxLines: number = DEFAULT_IMPLEMENT_LIMITS.whole_file_max_lines,
): EditFormat {
  if (currentContent === undefined) return "whole_file";
  return lineTexts(currentContent).length <= wholeFileMaxLines ? "whole_file" : "search_replace";
}

/**
 * Produces one file's edit for one task. Nothing is written: the caller commits `after` only
 * when the status is "edited". A path the limits refuse never reaches the model.
 */
export async function editFile(
  runtime: ModelRuntime,
  rawInput: EditFileInput,
  options: EditFileOptions,
): Promise<EditFileResult> {
  const input = editFileInputSchema.parse(rawInput);
  // A file that does not exist yet has nothing to search in.
  let format: EditFormat = input.currentContent === undefined ? "whole_file" : input.format;
  const limits = { ...DEFAULT_IMPLEMENT_LIMITS, ...options.limits };
  let promptVersion = EDIT_PROMPT_VERSIONS[format];
  const usage: UsageRecord[] = [];
  const failed = (problem: EditProblem, attempts: number): EditFileResult => ({
    status: "failed",
    path: input.path,
    format,
    reason: problem.message,
    problem,
    attempts,
    promptVersion,
    usage,
  });

  // A path or a file the limits refuse never reaches the model.
  const current = input.currentContent;
  const upFront =
    checkPath(input.path, options.tree, limits) ??
    (current === undefined
      ? undefined
      : checkContent({ path: input.path, before: current, after: current }, limits));
  if (upFront) return failed(refusedProblem(upFront), 0);

  // A file too long for the prompt is shown in parts and edited in blocks, or refused.
  const callOptions: AgentCallOptions = {
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxContextTokens !== undefined
      ? { maxContextTokens: options.maxContextTokens }
      : {}),
  };
  const fitted = await fitEditPrompt(
    runtime,
    { ...input, currentContent: current, format },
    callOptions,
  );
  if (!fitted.ok) {
    return failed(
      refusedProblem({ reason: "file_too_large", path: input.path, message: fitted.message }),
      0,
    );
  }
  let prompt = fitted.prompt;
  format = prompt.format;
  promptVersion = EDIT_PROMPT_VERSIONS[format];
  const file = { path: input.path, currentContent: current };
  const sendBack = async (text: string, problem: EditProblem) => {
    const feedback = retryFeedback(problem.message, problem.candidates, format);
    prompt = await withAttempt(runtime, prompt, text, feedback, callOptions);
  };
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const removalRequested = asksForRemoval(`${input.task.title}\n${input.task.description}`);
  let lastProblem: EditProblem | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const reply = await ask(runtime, prompt, callOptions);
    if (reply.usage) usage.push(reply.usage);
    if (!reply.ok) {
      lastProblem = reply.problem;
      if (!reply.retryable || reply.text === undefined) return failed(reply.problem, attempt);
      await sendBack(reply.text, reply.problem);
      continue;
    }
    const check = await checkEditReply(file, reply.edit, {
      limits,
      removalRequested,
      tabWidth: options.tabWidth,
      secretScan: options.secretScan,
    });
    if (check.ok) {
      return {
        status: "edited",
        path: input.path,
        format,
        before: input.currentContent,
        after: check.after,
        diff: check.diff,
        reasoning: reply.reasoning,
        attempts: attempt,
        promptVersion,
        usage,
      };
    }
    lastProblem = check.problem;
    if (!check.retryable) return failed(check.problem, attempt);
    await sendBack(reply.text, check.problem);
  }
  return failed(exhausted(lastProblem!, maxAttempts), maxAttempts);
}

type Asked =
  | { ok: true; edit: EditReply; reasoning: string; text: string; usage: UsageRecord }
  | {
      ok: false;
      problem: EditProblem;
      retryable: boolean;
      /** The reply as the model wrote it, when there was one to send back. */
      text?: string;
      usage?: UsageRecord;
    };

async function ask(
  runtime: ModelRuntime,
  prompt: EditPromptInput,
  options: AgentCallOptions,
): Promise<Asked> {
  let text: string;
  let read: ReadReply;
  let usage: UsageRecord;
  try {
    ({
      value: { text, read },
      usage,
    } = await EDIT_AGENTS[prompt.format].call(runtime, prompt, options));
  } catch (error) {
    // An unusable reply ends this task; a model that is down or overloaded is the caller's to handle.
    if (!(error instanceof ModelOutputError)) throw error;
    const cut = error instanceof ReplyCutOffError;
    return {
      ok: false,
      retryable: false,
      problem: {
        kind: cut ? "cut_off" : "refused",
        message: cut ? error.message : `the model's reply was unusable: ${error.message}`,
        candidates: [],
      },
    };
  }
  // Cut at the output limit with no whole edit in it: the model was stopped, not wrong.
  if (!read.ok && usage.doneReason === "length") read = cutOffReply(usage.outputTokens);
  return { ...read, text, usage };
}

function refusedProblem(refusal: Refusal): EditProblem {
  return { kind: "refused", message: refusal.message, candidates: [], refusal };
}

function exhausted(problem: EditProblem, attempts: number): EditProblem {
  return {
    ...problem,
    message: `${problem.message} (still so after ${attempts} attempt${attempts === 1 ? "" : "s"})`,
  };
}

/** Tasks that remove, move or split code may shrink a file a lot; others may not. */
function asksForRemoval(text: string): boolean {
  return /\b(remove|delete|drop|strip|trim|shorten|simplify|split|extract|move|inline|replace|rewrite)\w*/i.test(
    text,
  );
}
