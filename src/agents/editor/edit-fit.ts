// Fitting the Editor's prompt into the model's prompt budget: the whole file when it fits, else
// the parts of it the task is about with the file's outline (edited in SEARCH/REPLACE blocks,
// applied against the whole real file), else a refusal that says which setting to raise.
import { fileExcerpt } from "../../context/file-excerpt.js";
import { fileOutline } from "../../context/symbol-outline.js";
import type { ChatMessage, ModelRuntime } from "../../runner/types.js";
import { editMessages, type EditPromptInput, type FileView } from "./edit-prompt.js";
import type { EditFormat, EditTask } from "./edit-schema.js";

/** Room kept for a second attempt: the problem, the places it names, a short reply echo. */
export const RETRY_RESERVE_TOKENS = 1024;
/** Below this much room a file's parts say too little to edit it safely. */
const MIN_EXCERPT_TOKENS = 400;
/** Shares of the budget the related files may take, so the file itself keeps most of it. */
const MAP_SHARE = 1 / 8;
const EARLIER_EDITS_SHARE = 1 / 6;
const OUTLINE_SHARE = 1 / 6;
/** Chat-template tokens per message and for the reply primer, as the runtime counts them. */
const TEMPLATE_TOKENS = 16;

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

export type Fitted =
  { ok: true; prompt: EditPromptInput; budget: number } | { ok: false; message: string };

export async function fitEditPrompt(
  runtime: ModelRuntime,
  input: FitInput,
  model: string | undefined,
): Promise<Fitted> {
  const budget = await runtime.promptBudget(model);
  const estimate = (text: string) => runtime.estimateTokens(text);
  const base: EditPromptInput = {
    task: input.task,
    design: input.design,
    pseudocode: input.pseudocode,
    path: input.path,
    format: input.format,
    view: { kind: "new" },
    repositoryMap: cutLines(input.repositoryMap ?? "", Math.floor(budget * MAP_SHARE), estimate),
    earlierEdits: boundedEdits(input.earlierEdits ?? [], budget * EARLIER_EDITS_SHARE, estimate),
  };
  const current = input.currentContent;
  if (current === undefined) return { ok: true, prompt: { ...base, format: "whole_file" }, budget };
  const room = budget - messageTokens(editMessages(base), estimate) - RETRY_RESERVE_TOKENS;
  const whole: FileView = { kind: "whole", content: current };
  if (estimate(current) + 16 <= room) return { ok: true, prompt: { ...base, view: whole }, budget };
  if (room < MIN_EXCERPT_TOKENS)
    return { ok: false, message: tooLarge(input.path, current, budget) };
  const view = await excerptView(input, current, room, estimate);
  return { ok: true, prompt: { ...base, format: "search_replace", view }, budget };
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
  // Each window's fence and "lines a–b:" heading cost a few tokens of their own.
  const excerpt = fileExcerpt(current, {
    taskText: [
      input.task.title,
      input.task.description,
      ...input.task.success_criteria,
      input.pseudocode,
    ].join("\n"),
    maxTokens: Math.floor((room - outlineTokens - 80) * 0.9),
    estimateTokens: estimate,
  });
  return { kind: "excerpt", windows: excerpt.windows, totalLines: excerpt.totalLines, outline };
}

/**
 * The output allowance for a whole-file reply: the file again plus what the task adds, when that
 * fits beside the prompt; otherwise the runtime's own (it raises it within the window if cut).
 */
export function wholeFileAllowance(
  runtime: ModelRuntime,
  messages: readonly ChatMessage[],
  content: string | undefined,
  budget: number,
): number | undefined {
  const wanted = Math.ceil(runtime.estimateTokens(content ?? "") * 1.5) + 2048;
  const prompt = messageTokens(messages, (text) => runtime.estimateTokens(text));
  return prompt + wanted <= budget ? wanted : undefined;
}

/**
 * The rejected reply as the next attempt shows it: as the model wrote it when it fits what is
 * left of the budget, else its start and end around a note of what was left out.
 */
export function echoOfReply(
  runtime: ModelRuntime,
  reply: string,
  messages: readonly ChatMessage[],
  budget: number,
): string {
  const estimate = (text: string) => runtime.estimateTokens(text);
  const room = Math.max(200, budget - messageTokens(messages, estimate) - RETRY_RESERVE_TOKENS / 2);
  if (estimate(reply) <= room) return reply;
  const lines = reply.split("\n");
  const head = cutList(lines, Math.floor(room / 2), estimate);
  const tail = cutList([...lines].reverse(), Math.floor(room / 2), estimate).reverse();
  const left = lines.length - head.length - tail.length;
  return [...head, `[… ${left} lines of the reply not repeated here …]`, ...tail].join("\n");
}

function messageTokens(
  messages: readonly ChatMessage[],
  estimate: (text: string) => number,
): number {
  return messages.reduce((sum, message) => sum + estimate(message.content) + 4, TEMPLATE_TOKENS);
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
    `${path} is ${bytes} bytes, and the model's prompt budget of ${budget} tokens leaves too little ` +
    `room to show even the parts of it this task is about; raise SYMPHONY_NUM_CTX_MAX (and the ` +
    `model server's context size), choose a model with a longer context, or lower ` +
    `implement.max_file_bytes in .github/symphony.yml so such files are left to people`
  );
}
