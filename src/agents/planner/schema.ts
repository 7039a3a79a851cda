// Planner agent: the backlog and the real file tree in, the technical design out. The reply is
// generated in this order: what is there, how to do it and why, then the files it decides on.
import { z } from "zod";

const item = (max = 500) => z.string().max(max);

export const FileChangeSchema = z.object({
  path: z
    .string()
    .min(1)
    .max(300)
    .describe("Path from the repository root, exactly as in the file list."),
  action: z.enum(["modify", "create"]).describe("modify an existing file, or create a new one."),
  why: z.string().max(500),
});

export const ComponentSchema = z.object({
  name: z.string().min(1).max(120),
  responsibility: z.string().max(500),
});

/** What the Planner writes. */
export const PlanReplySchema = z.object({
  technology_stack: z
    .array(z.string().max(120))
    .max(15)
    .describe("Languages, frameworks and tools as found in the repository."),
  components: z.array(ComponentSchema).max(12),
  approach: z.string().max(4000),
  design_decisions: z.array(item()).max(10),
  files_to_change: z.array(FileChangeSchema).max(25),
  risks: z.array(item()).max(10),
  test_plan: z.array(item()).max(12),
});

/** The design as stored: the reply, and the files the Planner was shown before it wrote. */
export const PlanSchema = PlanReplySchema.extend({
  files_to_read: z
    .array(z.string().max(300))
    .max(8)
    .optional()
    .describe("The files whose contents the Planner read before writing the design."),
});

export type FileChange = z.infer<typeof FileChangeSchema>;
export type Component = z.infer<typeof ComponentSchema>;
export type PlanReply = z.infer<typeof PlanReplySchema>;
export type Plan = z.infer<typeof PlanSchema>;
