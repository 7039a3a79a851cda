// The shape of one eval case (eval/cases/<kind>/<id>.json), shared by the generator, the harness and its tests.
import { z } from "zod";

export const LICENCES = ["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC"] as const;

/** Where a case comes from: every case is taken from a public repository, never written here. */
export const CaseSourceSchema = z.object({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  licence: z.enum(LICENCES),
  /** The commit that fixed the bug (plan, review) or did the task (implement). */
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  /** Review: the commit that introduced the lines the fix changed. */
  introduced: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  /** Plan: the issue the fix closed. */
  issue: z.string().url().optional(),
});

const text = z.string().max(8000);

export const PlanCaseSchema = z.object({
  kind: z.literal("plan"),
  id: z.string(),
  source: CaseSourceSchema,
  issue: z.object({ number: z.number().int().positive(), title: z.string(), body: text }),
  /** Every file at the fix's parent, less bulky data folders (the case says which). */
  tree: z.array(z.string()).min(1),
  treeNote: z.string().optional(),
  readme: z.string().optional(),
  /** Contents the Planner may ask to read: the files the fix changed, where small enough. */
  files: z.record(z.string(), z.string()),
  expect: z.object({
    /** Files that existed before the fix and that the fix changed (tests and changelogs left out). */
    changedFiles: z.array(z.string()).min(1),
  }),
});

export const ReviewFileSchema = z.object({
  filename: z.string(),
  status: z.enum(["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"]),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  changes: z.number().int().nonnegative(),
  patch: z.string().optional(),
});

export const ReviewCaseSchema = z.object({
  kind: z.literal("review"),
  id: z.string(),
  source: CaseSourceSchema.required({ introduced: true }),
  pullRequest: z.object({ title: z.string(), body: text }),
  files: z.array(ReviewFileSchema).min(1),
  expect: z.object({
    /** Lines on the right side of the diff that the later fix changed or removed. */
    fixedLines: z
      .array(z.object({ path: z.string(), lines: z.array(z.number().int().positive()).min(1) }))
      .min(1),
  }),
});

export const ImplementCaseSchema = z.object({
  kind: z.literal("implement"),
  id: z.string(),
  source: CaseSourceSchema,
  task: z.object({ title: z.string(), description: text }),
  /** The files the task needs, as they were before it: what is edited, what imports it, its tests. */
  files: z.record(z.string(), z.string()),
  /** The files the Editor is asked to edit (those the real commit changed, tests left out). */
  edit: z.array(z.string()).min(1),
  /** The tests the real commit added or changed, at the commit: written over `files` before the run. */
  tests: z.record(z.string(), z.string()).default({}),
  /**
   * The real commit's change to each edited file, as a unified diff's hunks: never shown to the
   * model; it lets a test replay the real change through the harness and see it pass.
   */
  reference: z.record(z.string(), z.string()),
  /** The command that runs the tests in a folder holding the files (argv, no shell). */
  testCommand: z.array(z.string()).min(1).optional(),
});

export const EvalCaseSchema = z.discriminatedUnion("kind", [
  PlanCaseSchema,
  ReviewCaseSchema,
  ImplementCaseSchema,
]);

export type PlanCase = z.infer<typeof PlanCaseSchema>;
export type ReviewCase = z.infer<typeof ReviewCaseSchema>;
export type ImplementCase = z.infer<typeof ImplementCaseSchema>;
export type EvalCase = z.infer<typeof EvalCaseSchema>;
export type CaseKind = EvalCase["kind"];
