// What each inline finding comment keeps for the Conductor, hidden at its end: the arm that wrote
// it, its rule and title, and a hash of its suggestion, so its fate can be read back later.
import { createHash } from "node:crypto";
import { z } from "zod";
import { ArmSchema, type Arm } from "../../agents/conductor/bandit.js";
import { readHiddenState, renderHiddenState } from "../../comments/hidden-state.js";

const STATE_KIND = "finding";

export const findingStateSchema = ArmSchema.extend({
  rule: z.string().min(1).max(40),
  title: z.string().max(160),
  /** The suggestion's lines, counted and hashed (suggestionHash): enough to find it in a file. */
  suggestion: z
    .object({
      lines: z.number().int().positive().max(400),
      hash: z.string().regex(/^[0-9a-f]{16}$/),
    })
    .optional(),
});
export type FindingState = z.infer<typeof findingStateSchema>;

/** Lines as a suggestion is compared: trailing spaces and the line ending do not count. */
function normalisedLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\n+$/, "")
    .split("\n")
    .map((line) => line.trimEnd());
}

export function suggestionHash(lines: readonly string[]): string {
  return createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
}

export function renderFindingState(
  arm: Arm,
  finding: { rule: string; title: string },
  suggestion: string | undefined,
): string {
  // A suggestion that deletes the lines leaves nothing to find again.
  const lines =
    suggestion === undefined || suggestion.trim() === "" ? undefined : normalisedLines(suggestion);
  return renderHiddenState(
    STATE_KIND,
    findingStateSchema.parse({
      model: arm.model,
      promptVersion: arm.promptVersion,
      rule: finding.rule,
      title: finding.title.slice(0, 160),
      ...(lines ? { suggestion: { lines: lines.length, hash: suggestionHash(lines) } } : {}),
    }),
  );
}

/** The state at the end of a finding comment; read it only from a comment Symphony wrote. */
export function parseFindingState(body: string): FindingState | undefined {
  return readHiddenState(body, STATE_KIND, findingStateSchema);
}

/** Whether the file holds the suggestion's lines, one after another. */
export function holdsSuggestion(
  fileText: string,
  suggestion: NonNullable<FindingState["suggestion"]>,
): boolean {
  const lines = normalisedLines(fileText);
  for (let start = 0; start + suggestion.lines <= lines.length; start++) {
    if (suggestionHash(lines.slice(start, start + suggestion.lines)) === suggestion.hash)
      return true;
  }
  return false;
}
