// The whole pull request in one prompt's room (title, file list and as much diff as fits), as the
// Planner's remarks and the Code-Visualizer's diagram read it.
import { z } from "zod";
import type { EstimateTokens } from "../context/budget.js";
import type { ChatMessage, ModelRuntime } from "../runner/types.js";
import type { AgentCallOptions, AgentResult, DefinedAgent } from "./define-agent.js";
import type { PromptContext } from "./fit-prompt.js";

export const fileStatusSchema = z.enum([
  "added",
  "removed",
  "modified",
  "renamed",
  "copied",
  "changed",
  "unchanged",
]);

export const overviewFileSchema = z.object({
  path: z.string(),
  previousPath: z.string().optional(),
  status: fileStatusSchema,
  additions: z.number(),
  deletions: z.number(),
});
export type OverviewFile = z.infer<typeof overviewFileSchema>;

export const changeOverviewSchema = z.object({
  title: z.string(),
  description: z.string().optional(),
  files: z.array(overviewFileSchema).readonly(),
  /** Numbered diff text (the chunks' text); cut where the budget ends. */
  diff: z.string(),
});
export type ChangeOverview = z.infer<typeof changeOverviewSchema>;

/** What an overview agent reads: the overview rendered within the prompt's room. */
export const overviewInputSchema = z.object({ overview: z.string() });
export type OverviewInput = z.infer<typeof overviewInputSchema>;

/** Share of the budget the file list may take; the rest is for the diff. */
const FILE_LIST_SHARE = 0.35;
const MAX_DESCRIPTION_CHARS = 1500;

function fileLine(file: OverviewFile): string {
  const renamed = file.previousPath ? `, from ${file.previousPath}` : "";
  return `- ${file.path} (${file.status}${renamed}, +${file.additions} -${file.deletions})`;
}

/** Adds lines while they fit; returns how many did. */
function takeLines(
  lines: readonly string[],
  room: number,
  estimate: (text: string) => number,
): number {
  let used = 0;
  let taken = 0;
  for (const line of lines) {
    used += estimate(`${line}\n`);
    if (used > room) break;
    taken++;
  }
  return taken;
}

/** The overview as prompt text within `budget` tokens, saying what was left out. */
export function renderOverview(
  overview: ChangeOverview,
  budget: number,
  estimate: (text: string) => number,
): string {
  const description = (overview.description ?? "").trim().slice(0, MAX_DESCRIPTION_CHARS);
  const head = [
    `Pull request: ${overview.title.slice(0, 300)}`,
    `Description: ${description || "(none)"}`,
  ].join("\n\n");
  let room = budget - estimate(head) - 50;
  const fileLines = overview.files.map(fileLine);
  const listed = takeLines(fileLines, Math.max(0, room * FILE_LIST_SHARE), estimate);
  const files = fileLines.slice(0, listed);
  if (listed < fileLines.length) files.push(`- … and ${fileLines.length - listed} more files`);
  const fileText = `Files (${overview.files.length}):\n${files.join("\n")}`;
  room -= estimate(fileText);
  const diffLines = overview.diff.split("\n");
  const shown = takeLines(diffLines, Math.max(0, room), estimate);
  const diffText =
    shown < diffLines.length
      ? `${diffLines.slice(0, shown).join("\n")}\n… (${diffLines.length - shown} more diff lines not shown)`
      : overview.diff;
  return [head, fileText, `Diff:\n${diffText}`].join("\n\n");
}

/** Asks an overview agent, with the overview as its one context section, cut to fit. */
export function callWithOverview<T>(
  agent: DefinedAgent<OverviewInput, T>,
  runtime: ModelRuntime,
  overview: ChangeOverview,
  options: AgentCallOptions,
): Promise<AgentResult<T>> {
  const estimate = (text: string) => runtime.estimateTokens(text);
  return agent.call(
    runtime,
    { overview: "" },
    { ...options, context: overviewContext(overview, estimate) },
  );
}

function overviewContext(
  overview: ChangeOverview,
  estimate: EstimateTokens,
): PromptContext<OverviewInput> {
  return {
    sections: [
      {
        name: "overview",
        label: "the pull request",
        weight: 1,
        fit: (room) => renderOverview(overview, room, estimate),
      },
    ],
    assemble: (input, fitted) => ({ ...input, overview: fitted["overview"] ?? "" }),
  };
}

/** An overview agent's messages: its instructions, then the overview. */
export function overviewMessages(system: string): (input: OverviewInput) => ChatMessage[] {
  return ({ overview }) => [
    { role: "system", content: system },
    { role: "user", content: overview },
  ];
}
