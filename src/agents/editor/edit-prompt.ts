// The Editor's edit prompts, one per reply format, and the messages that send a rejected reply back.
import { longestRun } from "../../lib/longest-run.js";
import type { ChatMessage } from "../../runner/types.js";
import type { Candidate } from "../../editing/candidates.js";
import type { EditFormat, EditTask } from "./edit-schema.js";

/** Travels in the usage footer; bump it whenever a prompt's wording changes. */
export const EDIT_PROMPT_VERSIONS: Record<EditFormat, string> = {
  whole_file: "editor.edit.whole_file/1",
  search_replace: "editor.edit.search_replace/1",
};

const SHARED_RULES = `- Do exactly what the task asks in this file, nothing else; keep the file's style, naming and indentation.
- Never write secrets, tokens, passwords or keys into the file; read them from the environment or configuration.
- Reply with the JSON object only, no Markdown fences and no commentary.`;

const SYSTEM: Record<EditFormat, string> = {
  whole_file: `You are the Editor of Symphony. You change one file of a repository to carry out one task of a plan.

Reply with a JSON object {"path": string, "content": string}:
- "path": exactly the path you were given.
- "content": the complete new content of the file, every line from the first to the last. Lines you do not change are copied as they are.
- Never abbreviate: no "...", no "rest of the file unchanged", no "existing code here". A reply that leaves anything out is rejected.
${SHARED_RULES}`,
  search_replace: `You are the Editor of Symphony. You change one file of a repository to carry out one task of a plan.

The file is long, so reply with search/replace blocks as a JSON object {"path": string, "blocks": [{"search": string, "replace": string}]}:
- "path": exactly the path you were given.
- "search": whole lines copied exactly from the current file, character for character with their indentation, no line numbers. Include just enough lines around the change that the search text occurs exactly once in the file.
- "replace": the lines that take their place, whole and indented as they should be in the file; an empty string deletes them.
- One block per place to change, in the order they appear in the file; blocks must not overlap.
- Never write "..." or "unchanged" inside a block: everything in "search" must be in the file, everything in "replace" is written.
${SHARED_RULES}`,
};

export interface EditPromptInput {
  task: EditTask;
  design: string;
  pseudocode: string;
  path: string;
  currentContent: string | undefined;
  format: EditFormat;
}

export function editMessages(input: EditPromptInput): ChatMessage[] {
  return [
    { role: "system", content: SYSTEM[input.format] },
    { role: "user", content: taskText(input) },
  ];
}

function taskText({ task, design, pseudocode, path, currentContent }: EditPromptInput): string {
  const criteria = task.success_criteria.map((line) => `- ${line}`).join("\n");
  const file =
    currentContent === undefined
      ? `File: ${path} (a new file; write all of it)`
      : `File: ${path} (${currentContent.split("\n").length} lines, as it is now)\n${fenced(currentContent)}`;
  return [
    `Task ${task.task_id}: ${task.title}`,
    task.description,
    criteria === "" ? "" : `Success criteria:\n${criteria}`,
    `Design:\n${design}`,
    pseudocode.trim() === "" ? "" : `Pseudocode:\n${pseudocode}`,
    file,
  ]
    .filter((part) => part.trim() !== "")
    .join("\n\n");
}

/** The rejected reply and why, so the next attempt can correct exactly that. */
export function retryMessages(
  rejectedReply: unknown,
  reason: string,
  candidates: readonly Candidate[],
  format: EditFormat,
): ChatMessage[] {
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
      : "Reply again with all blocks, each search text copied exactly from the file as it is now.";
  return [
    { role: "assistant", content: JSON.stringify(rejectedReply) },
    { role: "user", content: `Your reply was not applied: ${reason}.${didYouMean}\n\n${again}` },
  ];
}

/** A fence longer than any backtick run inside, so file content cannot close it early. */
function fenced(text: string): string {
  const longest = Math.max(2, longestRun(text, "`"));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${text.replace(/\n$/, "")}\n${fence}`;
}
