// The Editor's review step: one chunk of numbered diff in, findings that cite lines and snippets out.
import { z } from "zod";
import type { ModelRuntime } from "../../runner/types.js";
import { defineAgent, type AgentCallOptions } from "../define-agent.js";
import { REVIEW_PROMPT_VERSION, REVIEW_SYSTEM_PROMPT, reviewUserPrompt } from "./review-prompt.js";

export { REVIEW_PROMPT_VERSION } from "./review-prompt.js";

/** Most severe first; the order decides which findings keep an inline place under the cap. */
export const SEVERITIES = ["critical", "major", "minor", "nit"] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** A fixed list, so the same problem gets the same rule (and fingerprint) on every push. */
export const FINDING_RULES = [
  "bug",
  "security",
  "data-loss",
  "concurrency",
  "error-handling",
  "performance",
  "api-contract",
  "maintainability",
  "naming",
  "documentation",
  "testing",
  "style",
] as const;
export const findingRuleSchema = z.enum(FINDING_RULES);
export type FindingRule = z.infer<typeof findingRuleSchema>;

const lineNumber = z.number().int().positive().max(10_000_000);

// Generated in this order: what the problem is and why, before where it is and how bad.
export const findingSchema = z.object({
  title: z.string().min(1).max(160),
  body: z.string().max(2000),
  path: z
    .string()
    .min(1)
    .max(400)
    .describe('The file path as written after "File:", without the note in parentheses after it.'),
  line: lineNumber.describe("The numbered line the finding is about (the first, for a range)."),
  end_line: lineNumber
    .optional()
    .describe("The last numbered line, when the finding spans several."),
  snippet: z.string().min(1).max(200).describe("Short text copied verbatim from `line`."),
  severity: severitySchema,
  rule: findingRuleSchema,
  // Asked for on one line; a model that writes several anyway is not made to repair its whole
  // reply: the lines are asked for again as text (review-suggestions.ts), this one kept as the
  // fallback.
  suggestion: z
    .string()
    .max(4000)
    .optional()
    .describe("The replacement for line, when the fix is mechanical and fits on that one line."),
  multiline_fix: z
    .boolean()
    .optional()
    .describe("True when the mechanical fix replaces several lines; it is asked for separately."),
});
/**
 * A finding as the review works with it. Its `suggestion` may span lines: a multi-line fix is
 * written as text in a second call (review-suggestions.ts), never inside the JSON.
 */
export type Finding = z.infer<typeof findingSchema>;

export const reviewReplySchema = z.object({
  findings: z.array(findingSchema).max(20),
});
export type ReviewReply = z.infer<typeof reviewReplySchema>;

/** Repository notes one review call shows, and the longest; the review feature fits them in tokens. */
export const MAX_REPOSITORY_NOTES = 20;
export const MAX_REPOSITORY_NOTE_CHARS = 300;

export const reviewInputSchema = z.object({
  title: z.string(),
  description: z.string().optional(),
  /** "part 2 of 5" when the pull request is reviewed in several calls. */
  part: z.object({ index: z.number().int(), count: z.number().int() }).optional(),
  /**
   * What this repository's maintainers said when they dismissed earlier findings
   * (features/review/learnings.ts): their text, shown as quoted data, never as instructions.
   */
  repository_notes: z
    .array(z.string().max(MAX_REPOSITORY_NOTE_CHARS))
    .max(MAX_REPOSITORY_NOTES)
    .optional(),
  /** The chunk's numbered diff (features/review/chunks.ts). */
  diff: z.string(),
});
export type ReviewInput = z.infer<typeof reviewInputSchema>;

/** The pull request as every review call shows it, and the repository's notes. */
export interface ReviewedPullRequest {
  title: string;
  description?: string;
  repositoryNotes?: readonly string[];
}

/** The review step's input for one chunk of a review in `chunkCount` chunks. */
export function reviewInput(
  chunk: { index: number; text: string },
  pullRequest: ReviewedPullRequest,
  chunkCount = 1,
): ReviewInput {
  const notes = (pullRequest.repositoryNotes ?? [])
    .slice(0, MAX_REPOSITORY_NOTES)
    .map((note) => note.slice(0, MAX_REPOSITORY_NOTE_CHARS));
  return {
    title: pullRequest.title,
    ...(pullRequest.description ? { description: pullRequest.description } : {}),
    ...(chunkCount > 1 ? { part: { index: chunk.index, count: chunkCount } } : {}),
    ...(notes.length > 0 ? { repository_notes: notes } : {}),
    diff: chunk.text,
  };
}

/** Reviews one chunk; the findings still have to be placed (features/review/placement). */
export const reviewChunk = defineAgent({
  name: "editor",
  promptVersion: REVIEW_PROMPT_VERSION,
  input: reviewInputSchema,
  output: reviewReplySchema,
  messages: ({ diff, ...context }) => [
    { role: "system", content: REVIEW_SYSTEM_PROMPT },
    { role: "user", content: reviewUserPrompt(context, diff) },
  ],
  example: {
    findings: [
      {
        title: "Assignment instead of comparison",
        body: "`count = 1` assigns, so every issue is greeted; compare with `===`.",
        path: "src/greet.ts",
        line: 12,
        snippet: "if (count = 1) {",
        severity: "major",
        rule: "bug",
        suggestion: "  if (count === 1) {",
      },
    ],
  },
});

/**
 * Tokens left for the diff text of one call: the review step's budget less the instructions,
 * the pull request's title and description, the repository notes, and the reply's schema, counted as each chunk's call
 * counts them (with the widest "part N of M").
 */
export function diffRoom(
  runtime: ModelRuntime,
  pullRequest: ReviewedPullRequest,
  options: AgentCallOptions = {},
): Promise<number> {
  return reviewChunk.room(
    runtime,
    reviewInput({ index: 0, text: "" }, pullRequest, 99_999),
    options,
  );
}
