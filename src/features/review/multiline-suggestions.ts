// The multi-line suggestions of one chunk's findings: the findings come as JSON with at most a
// one-line suggestion each; the fixes that span lines are asked for afterwards as text (one
// call per chunk, only when some finding needs one), so no code is ever escaped inside JSON.
import type { Finding } from "../../agents/editor/review.js";
import {
  writeSuggestions,
  type SuggestionRequest,
} from "../../agents/editor/review-suggestions.js";
import type { AgentCallOptions } from "../../agents/define-agent.js";
import type { FileDiff } from "../../github/pull-request-patch.js";
import { ContextOverflowError, ModelOutputError, ModelTimeoutError } from "../../runner/errors.js";
import type { ModelRuntime, UsageRecord } from "../../runner/types.js";

/** Most fixes asked for in one call; the rest keep what the JSON gave them. */
const MAX_FIXES = 20;
/** Longest cited range a suggestion is asked for; a longer one is not a mechanical fix. */
const MAX_FIX_LINES = 40;

export interface WithSuggestions {
  findings: Finding[];
  usage?: UsageRecord;
}

/**
 * The findings with the multi-line suggestions filled in where the model wrote them. A finding
 * that set `multiline_fix`, or put several lines in its JSON suggestion anyway, is asked for its
 * cited lines' replacement; when that call fails or leaves it out, the finding keeps what it had
 * (the JSON suggestion, if any), and placement still checks every suggestion against the lines.
 */
export async function withMultilineSuggestions(
  runtime: ModelRuntime,
  findings: readonly Finding[],
  files: readonly FileDiff[],
  options: AgentCallOptions,
): Promise<WithSuggestions> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const fixes: SuggestionRequest["fixes"] = [];
  const numbered = new Map<number, number>();
  for (const [index, finding] of findings.entries()) {
    if (fixes.length >= MAX_FIXES || !wantsLines(finding)) continue;
    const lines = citedLines(byPath.get(finding.path), finding);
    if (lines === undefined) continue;
    const number = fixes.length + 1;
    numbered.set(number, index);
    fixes.push({
      number,
      path: finding.path,
      firstLine: finding.line,
      lastLine: finding.end_line ?? finding.line,
      title: finding.title,
      body: finding.body.slice(0, 600),
      lines,
    });
  }
  if (fixes.length === 0) return { findings: [...findings] };
  let written: ReadonlyMap<number, string>;
  let usage: UsageRecord;
  try {
    ({ value: written, usage } = await writeSuggestions.call(runtime, { fixes }, options));
  } catch (error) {
    // The suggestions are an extra: without them the findings stand.
    if (suggestionFailure(error)) return { findings: [...findings] };
    throw error;
  }
  const result = [...findings];
  for (const [number, index] of numbered) {
    const suggestion = written.get(number);
    if (suggestion !== undefined) result[index] = { ...result[index]!, suggestion };
  }
  return { findings: result, usage };
}

function wantsLines(finding: Finding): boolean {
  return finding.multiline_fix === true || (finding.suggestion?.includes("\n") ?? false);
}

/** The cited lines as the new file has them, when every one of them is in the diff. */
function citedLines(file: FileDiff | undefined, finding: Finding): string | undefined {
  if (file === undefined) return undefined;
  const last = finding.end_line ?? finding.line;
  if (last < finding.line || last - finding.line >= MAX_FIX_LINES) return undefined;
  const lines: string[] = [];
  for (let line = finding.line; line <= last; line += 1) {
    const right = file.right.get(line);
    if (right === undefined) return undefined;
    lines.push(right.text);
  }
  return lines.join("\n");
}

function suggestionFailure(error: unknown): boolean {
  return (
    error instanceof ModelOutputError ||
    error instanceof ContextOverflowError ||
    error instanceof ModelTimeoutError
  );
}
