// The Editor's edit prompts, one per reply format, and the messages that send a rejected reply back.
// Replies are plain text (reasoning, the path, a fenced file or SEARCH/REPLACE blocks), never JSON.
import { z } from "zod";
import type { ChatMessage } from "../../runner/types.js";
import type { Candidate } from "../../editing/candidates.js";
import { fenceLanguage } from "../../editing/edit-text.js";
import { fenced } from "../../editing/fence.js";
import { lineTexts } from "../../editing/text-lines.js";
import {
  renderSearchReplaceExample,
  renderWholeFileExample,
  SEARCH_REPLACE_EXAMPLE,
  WHOLE_FILE_EXAMPLE,
} from "./edit-examples.js";
import { editFormatSchema, editTaskSchema, type EditFormat } from "./edit-schema.js";

/** Travels in the usage footer; bump it whenever a prompt's wording changes. */
export const EDIT_PROMPT_VERSIONS: Record<EditFormat, string> = {
  whole_file: "editor.edit.whole_file/2",
  search_replace: "editor.edit.search_replace/2",
};

const SHARED_RULES = `- Do exactly what the task asks in this file, nothing else; keep the file's style, naming and indentation.
- Never write secrets, tokens, passwords or keys into the file; read them from the environment or configuration.
- Plain text only: no JSON.`;

/** The output rule, stated in the system prompt and again after the data. */
const OUTPUT_RULE: Record<EditFormat, string> = {
  whole_file:
    "Reply with a few sentences on what you change and why, then the file's path on a line of its own, then the complete new file in a fenced block. Nothing after the closing fence.",
  search_replace:
    "Reply with a few sentences on what you change and why, then the file's path on a line of its own, then one SEARCH/REPLACE block per place to change. Nothing after the last block.",
};

const SYSTEM: Record<EditFormat, string> = {
  whole_file: `You are the Editor of Symphony. You change one file of a repository to carry out one task of a plan.

Reply in plain text, in this order:
1. A few sentences: what you change in this file and why.
2. The file's path on a line of its own, exactly as given.
3. The complete new content of the file in a fenced block: a line of backticks, the file, the same line of backticks. Use more backticks than the longest run of backticks inside the file (four are enough for most files). Every line from the first to the last; lines you do not change are copied as they are.
- Never abbreviate: no "...", no "rest of the file unchanged", no "existing code here". A reply that leaves anything out is rejected.
${SHARED_RULES}

Example. Task: ${WHOLE_FILE_EXAMPLE.task}
The file:
${WHOLE_FILE_EXAMPLE.reply.path}
${fenced(WHOLE_FILE_EXAMPLE.before, fenceLanguage(WHOLE_FILE_EXAMPLE.reply.path))}
The reply:
${renderWholeFileExample()}
${OUTPUT_RULE.whole_file}`,
  search_replace: `You are the Editor of Symphony. You change one file of a repository to carry out one task of a plan.

The file is long, so reply in plain text with SEARCH/REPLACE blocks, in this order:
1. A few sentences: what you change in this file and why.
2. The file's path on a line of its own, exactly as given.
3. One block per place to change, in the order they appear in the file:
<<<<<<< SEARCH
whole lines copied exactly from the current file, character for character with their indentation
=======
the lines that take their place, whole and indented as they should be in the file
>>>>>>> REPLACE
- The search part holds just enough lines around the change that it occurs exactly once in the file; no line numbers.
- An empty replacement deletes the lines; blocks must not overlap.
- Never write "..." or "unchanged" inside a block: everything in the search part must be in the file, everything in the replacement is written.
${SHARED_RULES}

Example. Task: ${SEARCH_REPLACE_EXAMPLE.task}
The file:
${SEARCH_REPLACE_EXAMPLE.reply.path}
${fenced(SEARCH_REPLACE_EXAMPLE.before, fenceLanguage(SEARCH_REPLACE_EXAMPLE.reply.path))}
The reply:
${renderSearchReplaceExample()}
${OUTPUT_RULE.search_replace}`,
};

/** How the prompt shows the file: not at all (new), whole, or the parts the task is about. */
export const fileViewSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("new") }),
  z.object({ kind: z.literal("whole"), content: z.string() }),
  z.object({
    kind: z.literal("excerpt"),
    windows: z.array(
      z.object({ startLine: z.number().int(), endLine: z.number().int(), text: z.string() }),
    ),
    totalLines: z.number().int(),
    outline: z.array(z.string()),
  }),
]);
export type FileView = z.infer<typeof fileViewSchema>;

/** Everything one edit call's messages are written from; the conversation so far included. */
export const editPromptInputSchema = z.object({
  task: editTaskSchema,
  design: z.string(),
  pseudocode: z.string(),
  path: z.string(),
  format: editFormatSchema,
  view: fileViewSchema,
  /** Signatures of related files; empty for none. */
  repositoryMap: z.string(),
  /** Files this task already changed, already cut to the budget (an empty diff: named only). */
  earlierEdits: z.array(z.object({ path: z.string(), diff: z.string() })),
  /** Replies sent back so far: the reply as the next prompt repeats it, and why it was not applied. */
  attempts: z.array(z.object({ reply: z.string(), feedback: z.string() })),
  /** Output tokens to reserve (a whole file's length and more); the runtime's own when absent. */
  outputAllowance: z.number().int().positive().optional(),
});
export type EditPromptInput = z.infer<typeof editPromptInputSchema>;

export function editMessages(input: EditPromptInput): ChatMessage[] {
  return [
    { role: "system", content: SYSTEM[input.format] },
    { role: "user", content: taskText(input) },
    ...input.attempts.flatMap((attempt): ChatMessage[] => [
      { role: "assistant", content: attempt.reply },
      { role: "user", content: attempt.feedback },
    ]),
  ];
}

function taskText(input: EditPromptInput): string {
  const { task, design, pseudocode } = input;
  const criteria = task.success_criteria.map((line) => `- ${line}`).join("\n");
  return [
    `Task ${task.task_id}: ${task.title}`,
    task.description,
    criteria === "" ? "" : `Success criteria:\n${criteria}`,
    `Design:\n${design}`,
    pseudocode.trim() === "" ? "" : `Pseudocode:\n${pseudocode}`,
    earlierEditsText(input.earlierEdits),
    input.repositoryMap.trim() === ""
      ? ""
      : `Signatures in the files this task names or this file imports (for reference; they are not edited here):\n${input.repositoryMap}`,
    fileText(input),
    OUTPUT_RULE[input.format],
  ]
    .filter((part) => part.trim() !== "")
    .join("\n\n");
}

function earlierEditsText(edits: EditPromptInput["earlierEdits"]): string {
  if (edits.length === 0) return "";
  const shown = edits.map((edit) =>
    edit.diff === ""
      ? `${edit.path} (changed; its diff is too long to show)`
      : `${edit.path}\n${fenced(edit.diff, "diff")}`,
  );
  return `Already changed by this task (do not change these files here; use what they now provide):\n${shown.join("\n")}`;
}

/** The path on a line of its own, as the reply must write it, then the file or its parts. */
function fileText({ path, view }: EditPromptInput): string {
  const language = fenceLanguage(path);
  switch (view.kind) {
    case "new":
      return `File: ${path}\n(a new file; write all of it)`;
    case "whole":
      return `File: ${path}\n(${lineTexts(view.content).length} lines, as it is now)\n${fenced(view.content, language)}`;
    case "excerpt": {
      const ranges = view.windows.map((w) => `${w.startLine}–${w.endLine}`).join(", ");
      const outline =
        view.outline.length === 0
          ? ""
          : `\nOutline of the whole file (declarations only):\n${view.outline.map((line) => `  ${line}`).join("\n")}`;
      const parts = view.windows.map(
        (w) => `lines ${w.startLine}–${w.endLine}:\n${fenced(w.text, language)}`,
      );
      return [
        `File: ${path}`,
        `(${view.totalLines} lines, too long to show whole; shown are lines ${ranges}. Copy every SEARCH part from these lines, without line numbers, and include enough lines that it matches one place in the whole file.)${outline}`,
        ...parts,
      ].join("\n");
    }
  }
}

/** Why a reply was not applied and what to send instead, for the next attempt. */
export function retryFeedback(
  reason: string,
  candidates: readonly Candidate[],
  format: EditFormat,
): string {
  const hints = candidates.map(
    (candidate) => `lines ${candidate.startLine}–${candidate.endLine}:\n${fenced(candidate.text)}`,
  );
  const didYouMean =
    hints.length === 0
      ? ""
      : `\n\n${candidates[0]?.similarity === 1 ? "It matches at" : "Did you mean"} ${hints.join("\nor ")}`;
  const again =
    format === "whole_file"
      ? "Reply again with the complete file."
      : "Reply again with all blocks, each search part copied exactly from the file as it is now.";
  return `Your reply was not applied: ${reason}.${didYouMean}\n\n${again} ${OUTPUT_RULE[format]}`;
}
