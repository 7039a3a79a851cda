// Fitting the Editor's prompt into the budget its agent keeps (defineAgent's `room`): the whole
// file when it fits, else the parts of it the task is about with the file's outline (edited in
// SEARCH/REPLACE blocks, applied against the whole real file), else a refusal that says which
// setting to raise. A rejected reply is repeated in the next prompt as far as the budget allows.
import { fileExcerpt } from "../../context/file-excerpt.js";
import { fileOutline } from "../../context/symbol-outline.js";
import type { ModelRuntime } from "../../runner/types.js";
import type { AgentCallOptions } from "../define-agent.js";
import { EDIT_AGENTS } from "./edit-agent.js";
import type { EditPromptInput, FileView } from "./edit-prompt.js";
import type { EditFormat, EditTask } from "./edit-schema.js";

/** Room kept for a second attempt: the problem, the places it names, a short reply echo. */
export const RETRY_RESERVE_TOKENS = 1024;
/** Below this much room a file's parts say too little to edit it safely. */
const MIN_EXCERPT_TOKENS = 400;
/** Shares of the budget the related files may take, so the file itself keeps most of it. */
const MAP_SHARE = 1 / 8;
const EARLIER_EDITS_SHARE = 1 / 6;
const OUTLINE_SHARE = 1 / 6;
/** The fence, its info string and the "(N lines, as it is now)" line around a whole file. */
const WHOLE_FILE_FRAME_TOKENS = 24;

export interface FitInput {
  task: EditTask;
  design: string;
  pseudocode: string;
  path: string;
  currentContent: string | undefined;
  format: EditFormat;
  repositoryMap?: string;
  earlierEdits?: readonly { path: string; diff: string }[];
}

export type Fitted = { ok: true; prompt: EditPromptInput } | { ok: false; message: string };

export async function fitEditPrompt(
  runtime: ModelRuntime,
  input: FitInput,
  options: AgentCallOptions,
): Promise<Fitted> {
  const estimate = (text: string) => runtime.estimateTokens(text);
  // The related files' shares are of the budget the agent would have with nothing else in it.
  const total = await EDIT_AGENTS[input.format].room(runtime, emptyPrompt(input), options);
  const base: EditPromptInput = {
    ...emptyPrompt(input),
    repositoryMap: cutLines(input.repositoryMap ?? "", Math.floor(total * MAP_SHARE), estimate),
    earlierEdits: boundedEdits(input.earlierEdits ?? [], total * EARLIER_EDITS_SHARE, estimate),
  };
  const current = input.currentContent;
  if (current === undefined) return { ok: true, prompt: { ...base, format: "whole_file" } };
  const fileTokens = estimate(current) + WHOLE_FILE_FRAME_TOKENS;
  const roomFor = async (prompt: EditPromptInput) =>
    (await EDIT_AGENTS[prompt.format].room(runtime, prompt, options)) - RETRY_RESERVE_TOKENS;
  const whole: EditPromptInput = { ...base, view: { kind: "whole", content: "" } };
  if (input.format === "whole_file") {
    // A whole-file reply repeats the file: ask for that much output where it fits beside it.
    const outputAllowance = Math.ceil(estimate(current) * 1.5) + 2048;
    if (fileTokens <= (await roomFor({ ...whole, outputAllowance }))) {
      return {
        ok: true,
        prompt: { ...whole, view: { kind: "whole", content: current }, outputAllowance },
      };
    }
  }
  if (fileTokens <= (await roomFor(whole))) {
    return { ok: true, prompt: { ...whole, view: { kind: "whole", content: current } } };
  }
  const parts: EditPromptInput = {
    ...base,
    format: "search_replace",
    view: { kind: "excerpt", windows: [], totalLines: 0, outline: [] },
  };
  const room = await roomFor(parts);
  if (room < MIN_EXCERPT_TOKENS)
    return { ok: false, message: tooLarge(input.path, current, total) };
  return {
    ok: true,
    prompt: { ...parts, view: await excerptView(input, current, room, estimate) },
  };
}

function emptyPrompt(input: FitInput): EditPromptInput {
  return {
    task: input.task,
    design: input.design,
    pseudocode: input.pseudocode,
    path: input.path,
    format: input.format,
    view: { kind: "new" },
    repositoryMap: "",
    earlierEdits: [],
    attempts: [],
  };
}

async function excerptView(
  input: FitInput,
  current: string,
  room: number,
  estimate: (text: string) => number,
): Promise<FileView> {
  const declarations = await fileOutline(input.path, current, { exportedOnly: false });
  const outline = cutList(declarations, Math.floor(room * OUTLINE_SHARE), estimate);
  const outlineTokens = outline.reduce((sum, line) => sum + estimate(line) + 1, 0);
  const excerpt = fileExcerpt(current, {
    taskText: [
      input.task.title,
      input.task.description,
      ...input.task.success_criteria,
      input.pseudocode,
    ].join("\n"),
    // Each window's fence and "lines a–b:" heading cost a few tokens of their own.
    maxTokens: Math.floor((room - outlineTokens - 80) * 0.9),
    estimateTokens: estimate,
  });
  return { kind: "excerpt", windows: excerpt.windows, totalLines: excerpt.totalLines, outline };
}

/**
 * The prompt of the next attempt: the rejected reply as the model wrote it when that fits what
 * is left of the budget, else its start and end around a note of what was left out.
 */
export async function withAttempt(
  runtime: ModelRuntime,
  prompt: EditPromptInput,
  reply: string,
  feedback: string,
  options: AgentCallOptions,
): Promise<EditPromptInput> {
  const estimate = (text: string) => runtime.estimateTokens(text);
  const without = { ...prompt, attempts: [...prompt.attempts, { reply: "", feedback }] };
  const room = Math.max(
    200,
    (await EDIT_AGENTS[prompt.format].room(runtime, without, options)) - 32,
  );
  if (estimate(reply) <= room) {
    return { ...prompt, attempts: [...prompt.attempts, { reply, feedback }] };
  }
  const lines = reply.split("\n");
  const head = cutList(lines, Math.floor(room / 2) - 16, estimate);
  const tail = cutList([...lines].reverse(), Math.floor(room / 2) - 16, estimate).reverse();
  const left = lines.length - head.length - tail.length;
  const echo = [...head, `[… ${left} lines of the reply not repeated here …]`, ...tail].join("\n");
  return { ...prompt, attempts: [...prompt.attempts, { reply: echo, feedback }] };
}

/** The earlier edits in order while they fit; one that does not is named without its diff. */
function boundedEdits(
  edits: readonly { path: string; diff: string }[],
  maxTokens: number,
  estimate: (text: string) => number,
): { path: string; diff: string }[] {
  let used = 0;
  return edits.map((edit) => {
    const cost = estimate(edit.diff) + 8;
    if (used + cost > maxTokens) return { path: edit.path, diff: "" };
    used += cost;
    return edit;
  });
}

function cutList(
  lines: readonly string[],
  maxTokens: number,
  estimate: (text: string) => number,
): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    used += estimate(line) + 1;
    if (used > maxTokens) break;
    kept.push(line);
  }
  return kept;
}

function cutLines(text: string, maxTokens: number, estimate: (text: string) => number): string {
  if (estimate(text) <= maxTokens) return text;
  const lines = text.split("\n");
  const kept = cutList(lines, maxTokens - 10, estimate);
  return `${kept.join("\n")}\n… ${lines.length - kept.length} more lines not shown`;
}

function tooLarge(path: string, content: string, budget: number): string {
  const bytes = Buffer.byteLength(content);
  return (
    `${path} is ${bytes} bytes, and the model's prompt budget of about ${budget} tokens for it leaves too ` +
    `little room to show even the parts of it this task is about; raise SYMPHONY_NUM_CTX_MAX (and ` +
    `the model server's context size) or max_context_tokens, choose a model with a longer ` +
    `context, or lower implement.max_file_bytes in .github/symphony.yml so such files are left to people`
  );
}
