// Feature agent's output: the backlog (an EPIC, its features and, on request, their subtasks).
import { z } from "zod";

export const PrioritySchema = z.enum(["low", "medium", "high", "critical"]);
export const ComplexitySchema = z.enum(["low", "medium", "high", "very_high"]);

const item = (max = 300) => z.string().max(max);

export const SubtaskSchema = z.object({
  id: z.string().min(1).max(20).describe("Subtask id under its feature, e.g. F1.1."),
  title: z.string().min(1).max(200),
  estimated_hours: z.number().min(0).max(80),
  technical_requirements: z
    .array(item())
    .max(5)
    .describe("Concrete requirements: files, functions, libraries, settings."),
  assignee_type: z
    .enum(["agent", "human", "either"])
    .describe("Who can do it: Symphony's Editor agent, a person, or either."),
});

export const FeatureSchema = z.object({
  id: z.string().min(1).max(20).describe("Feature id, e.g. F1."),
  title: z.string().min(1).max(200),
  user_story: z.string().max(500).describe("As a <who>, I want <what>, so that <why>."),
  story_points: z.number().int().min(1).max(40).describe("Relative size: 1, 2, 3, 5, 8, 13, 21."),
  acceptance_criteria: z.array(item()).min(1).max(6),
  notes: z.string().max(1000),
  subtasks: z
    .array(SubtaskSchema)
    .max(6)
    .optional()
    .describe("Only when asked to look deeper: the feature split into subtasks."),
});

export const EpicDetailsSchema = z.object({
  id: z.string().min(1).max(40).describe("EPIC id, e.g. EPIC-<issue number>."),
  name: z.string().min(1).max(200),
  goal: z.string().min(1).max(1000),
  description: z.string().max(3000),
  priority: PrioritySchema,
  complexity: ComplexitySchema,
  dependencies: z
    .array(item())
    .max(10)
    .describe("Other work, systems or decisions this depends on."),
  status: z.enum(["proposed", "ready", "in_progress", "done"]),
  out_of_scope: z.array(item()).max(10),
});

export const EpicSchema = z.object({
  epic: EpicDetailsSchema,
  features: z.array(FeatureSchema).min(1).max(10),
});

export type Priority = z.infer<typeof PrioritySchema>;
export type Subtask = z.infer<typeof SubtaskSchema>;
export type Feature = z.infer<typeof FeatureSchema>;
export type Epic = z.infer<typeof EpicSchema>;
