// The shape of one edit-corpus case, shared by the generator and the benchmark.
import { z } from "zod";
import {
  searchReplaceReplySchema,
  wholeFileReplySchema,
} from "../../src/agents/editor/edit-schema.js";

export const PERTURBATIONS = [
  "exact",
  "trailing_whitespace",
  "dedent",
  "indent_scale",
  "spaces_for_tabs",
  "crlf",
  "no_trailing_newline",
  "extra_blank_line",
  "fenced",
  "combined",
  "partial_line",
  "duplicate_with_context",
  "stale_context",
  "ambiguous_snippet",
  "wrong_file",
  "wrong_path",
  "elided",
  "shrunk",
] as const;

export const editCaseSchema = z.object({
  id: z.string(),
  description: z.string(),
  language: z.string(),
  perturbation: z.enum(PERTURBATIONS),
  /** The seed file the original came from, relative to bench/edit-corpus. */
  seed: z.string(),
  path: z.string(),
  original: z.string(),
  reply: z.discriminatedUnion("format", [
    z.object({ format: z.literal("whole_file"), reply: wholeFileReplySchema }),
    z.object({ format: z.literal("search_replace"), reply: searchReplaceReplySchema }),
  ]),
  expect: z.discriminatedUnion("outcome", [
    z.object({ outcome: z.literal("apply"), result: z.string() }),
    z.object({
      outcome: z.literal("refuse"),
      why: z.enum(["ambiguous", "absent", "elided", "wrong_path"]),
    }),
  ]),
});

export type EditCase = z.infer<typeof editCaseSchema>;
