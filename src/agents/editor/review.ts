// The Editor's review step: one chunk of numbered diff in, findings that cite lines and snippets out.
import { z } from "zod";
// eslint-disable-next-line no-restricted-imports -- the review agents take the review core's chunk and overview types; they move with defineAgent (#12)
import type { ReviewChunk } from "../../features/review/chunks.js";
import type { ChatMessage, ModelRuntime, UsageRecord } from "../../runner/types.js";
import {
  REVIEW_PROMPT_VERSION,
  REVIEW_SYSTEM_PROMPT,
  reviewUserPrompt,
  type ReviewPromptContext,
} from "./review-prompt.js";

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

export const findingSchema = z.object({
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
  title: z.string().min(1).max(160),
  body: z.string().max(2000),
  suggestion: z
    .string()
    .max(4000)
    .optional()
    .describe("Replacement text for exactly the lines line..end_line, when the fix is mechanical."),
});
export type Finding = z.infer<typeof findingSchema>;

export const reviewReplySchema = z.object({
  findings: z.array(findingSchema).max(20),
});
export type ReviewReply = z.infer<typeof reviewReplySchema>;

export interface ReviewChunkOptions {
  pullRequest: { title: string; description?: string };
  /** How many chunks the whole review has, for "part 2 of 5". */
  chunkCount?: number;
  model?: string;
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

export interface ChunkReview {
  findings: Finding[];
  usage: UsageRecord;
}

function promptContext(chunkIndex: number, options: ReviewChunkOptions): ReviewPromptContext {
  const count = options.chunkCount ?? 1;
  return {
    title: options.pullRequest.title,
    ...(options.pullRequest.description ? { description: options.pullRequest.description } : {}),
    ...(count > 1 ? { part: { index: chunkIndex, count } } : {}),
  };
}

export function reviewMessages(
  chunk: Pick<ReviewChunk, "index" | "text">,
  options: ReviewChunkOptions,
): ChatMessage[] {
  return [
    { role: "system", content: REVIEW_SYSTEM_PROMPT },
    { role: "user", content: reviewUserPrompt(promptContext(chunk.index, options), chunk.text) },
  ];
}

/** Tokens the chat template adds around messages; a margin, since the estimate is rough. */
const TEMPLATE_MARGIN_TOKENS = 64;

/**
 * Tokens left for the diff text of one call: the prompt budget minus the system prompt, the pull
 * request's title and description, and a margin for the chat template.
 */
export function diffBudget(
  promptBudget: number,
  estimateTokens: (text: string) => number,
  options: ReviewChunkOptions,
): number {
  const framing = reviewMessages({ index: 0, text: "" }, { ...options, chunkCount: 99_999 });
  const used = framing.reduce((sum, message) => sum + estimateTokens(message.content), 0);
  return promptBudget - used - TEMPLATE_MARGIN_TOKENS;
}

/** Asks the model to review one chunk; the findings still have to be placed (features/review/placement). */
export async function reviewChunk(
  runtime: ModelRuntime,
  chunk: Pick<ReviewChunk, "index" | "text">,
  options: ReviewChunkOptions,
): Promise<ChunkReview> {
  const { value, usage } = await runtime.generateObject({
    agent: "editor",
    promptVersion: REVIEW_PROMPT_VERSION,
    messages: reviewMessages(chunk, options),
    schema: reviewReplySchema,
    model: options.model,
    maxOutputTokens: options.maxOutputTokens,
    signal: options.signal,
  });
  return { findings: value.findings, usage };
}
