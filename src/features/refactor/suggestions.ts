// A refactor suggestion: its schema, its stable id, and its fingerprint (the id tied to the code).
import { createHash } from "node:crypto";
import { z } from "zod";

export const smellSchema = z
  .enum([
    "long-function",
    "deep-nesting",
    "complex-conditional",
    "large-file",
    "duplicated-code",
    "long-parameter-list",
    "mixed-responsibilities",
    "switch-on-type",
    "tangled-error-handling",
    "shared-mutable-state",
    "dead-code",
  ])
  .describe("The code smell, from a fixed list so that the same finding keeps the same id");

export type Smell = z.infer<typeof smellSchema>;

/**
 * What the Planner writes for a suggestion, in the order it writes it (the smell after the
 * reasons that name it); Symphony adds where it points and its id.
 */
export const suggestionContentSchema = z.object({
  title: z.string().min(1).max(120).describe("The refactor in a few words, imperative"),
  why: z
    .string()
    .min(1)
    .max(800)
    .describe("Why it matters in this file, with the figures: changes, complexity, length"),
  smell: smellSchema,
  refactor: z.string().min(1).max(800).describe("The proposed refactor, step by step"),
  before: z.string().max(1500).describe("A short sketch of the code as it is (at most ~25 lines)"),
  after: z.string().max(1500).describe("The same sketch after the refactor (at most ~25 lines)"),
  diagram: z
    .string()
    .max(2000)
    .optional()
    .describe("Optional Mermaid flowchart of the structure after the refactor"),
});

export const suggestionIdSchema = z.string().regex(/^rf-[0-9a-f]{8}$/);
export const fingerprintSchema = z.string().regex(/^rf-[0-9a-f]{8}:[0-9a-f]{12}$/);

export const suggestionSchema = suggestionContentSchema.extend({
  /** Stable across runs: derived from file, function and smell. */
  id: suggestionIdSchema,
  /** id + hash of the code it points at: changes when that code changes. */
  fingerprint: fingerprintSchema,
  file: z.string().min(1).max(500),
  /** The function it points at; absent when it is about the whole file. */
  function: z.string().min(1).max(200).optional(),
  line: z.int().min(1),
});

export type Suggestion = z.infer<typeof suggestionSchema>;

/** `rf-` and 8 hex digits of SHA-256 over file, function and smell. */
export function suggestionId(file: string, functionName: string | undefined, smell: Smell): string {
  const digest = createHash("sha256")
    .update(`${file}\u0000${functionName ?? ""}\u0000${smell}`)
    .digest("hex");
  return `rf-${digest.slice(0, 8)}`;
}

/** The id tied to the code it points at (`codeHash` of the function or file). */
export function suggestionFingerprint(id: string, pointedCodeHash: string): string {
  return `${id}:${pointedCodeHash}`;
}
