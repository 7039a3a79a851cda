// Feature agent's output: the backlog (an EPIC, its features and, on request, their subtasks), as
// stored and rendered, and the smaller replies the model writes, in the order it writes them.
import { z } from "zod";

export const PrioritySchema = z.enum(["low", "medium", "high", "critical"]);
export const ComplexitySchema = z.enum(["low", "medium", "high", "very_high"]);
export const EpicStatusSchema = z.enum(["proposed", "ready", "in_progress", "done"]);

const item = (max = 300) => z.string().max(max);

// What the model writes: no ids and no status (code fills them), and each judgement after the
// text it rests on, since fields are generated in this order.

export const SubtaskReplySchema = z.object({
  title: z.string().min(1).max(200),
  technical_requirements: z
    .array(item())
    .max(5)
    .describe("Concrete requirements: files, functions, libraries, settings."),
  estimated_hours: z.number().min(0).max(80),
  assignee_type: z
    .enum(["agent", "human", "either"])
    .describe("Who can do it: Symphony's Editor agent, a person, or either."),
});

export const FeatureReplySchema = z.object({
  title: z.string().min(1).max(200),
  user_story: z.string().max(500).describe("As a <who>, I want <what>, so that <why>."),
  acceptance_criteria: z.array(item()).min(1).max(6),
  notes: z.string().max(1000),
  story_points: z.number().int().min(1).max(40).describe("Relative size: 1, 2, 3, 5, 8, 13, 21."),
});

export const EpicDetailsReplySchema = z.object({
  name: z.string().min(1).max(200),
  goal: z.string().min(1).max(1000),
  description: z.string().max(3000),
  dependencies: z
    .array(item())
    .max(10)
    .describe("Other work, systems or decisions this depends on."),
  out_of_scope: z.array(item()).max(10),
  complexity: ComplexitySchema,
  priority: PrioritySchema,
});

/** The Feature agent's reply when it writes the backlog. */
export const EpicReplySchema = z.object({
  epic: EpicDetailsReplySchema,
  features: z.array(FeatureReplySchema).min(1).max(10),
});

/** The Feature agent's reply when it looks deeper: subtasks for each feature, in order. */
export const DeeperReplySchema = z.object({
  features: z
    .array(
      z.object({
        title: z.string().max(200).describe("The feature's title, copied from the backlog."),
        subtasks: z.array(SubtaskReplySchema).min(1).max(6),
      }),
    )
    .min(1)
    .max(10),
});

// The backlog as stored in the plan and rendered: the reply with the ids and status code gave.

export const SubtaskSchema = SubtaskReplySchema.extend({
  id: z.string().min(1).max(20).describe("Subtask id under its feature, e.g. F1.1."),
});

export const FeatureSchema = FeatureReplySchema.extend({
  id: z.string().min(1).max(20).describe("Feature id, e.g. F1."),
  subtasks: z
    .array(SubtaskSchema)
    .max(6)
    .optional()
    .describe("Only when asked to look deeper: the feature split into subtasks."),
});

export const EpicDetailsSchema = EpicDetailsReplySchema.extend({
  id: z.string().min(1).max(40).describe("EPIC id, e.g. EPIC-<issue number>."),
  status: EpicStatusSchema,
});

export const EpicSchema = z.object({
  epic: EpicDetailsSchema,
  features: z.array(FeatureSchema).min(1).max(10),
});

export type Priority = z.infer<typeof PrioritySchema>;
export type Subtask = z.infer<typeof SubtaskSchema>;
export type Feature = z.infer<typeof FeatureSchema>;
export type Epic = z.infer<typeof EpicSchema>;
export type EpicReply = z.infer<typeof EpicReplySchema>;
export type DeeperReply = z.infer<typeof DeeperReplySchema>;
