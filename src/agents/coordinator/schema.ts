// Coordinator agent's output: the plan split into ordered tasks, each sized for one Editor call.
// The model writes each task's text, files and checks; code fills the id, the assignee, the
// priority and the dependencies (coordinator/task-ids.ts), and the git strategy.
import { z } from "zod";
import { PrioritySchema } from "../feature/schema.js";

const path = () => z.string().min(1).max(300);

export const TechnicalRequirementsSchema = z.object({
  files_to_create: z.array(path()).max(10),
  files_to_modify: z.array(path()).max(10),
  libraries: z.array(z.string().max(120)).max(6).describe("Libraries to add or use."),
  environment_variables: z.array(z.string().max(120)).max(6),
});

/** What the model writes for a task, in the order it writes it: the size last. */
export const TaskReplySchema = z.object({
  title: z.string().min(1).max(200),
  description: z
    .string()
    .max(1500)
    .describe("What to change and how, precise enough for one code edit."),
  technical_requirements: TechnicalRequirementsSchema,
  success_criteria: z.array(z.string().max(300)).min(1).max(5),
  estimated_hours: z.number().min(0).max(80),
});

export const TaskListReplySchema = z.object({
  tasks: z.array(TaskReplySchema).min(1).max(20),
});

/** A task as stored, rendered and implemented. */
export const TaskSchema = TaskReplySchema.extend({
  task_id: z.string().min(1).max(20).describe("T1, T2, … in the order to do them."),
  assigned_agent: z
    .enum(["editor", "human"])
    .describe("editor: Symphony's Editor agent can do it; human: it needs a person."),
  priority: PrioritySchema,
  dependencies: z.array(z.string().max(20)).max(10).describe("task_ids that must be done first."),
});

/** How the tasks become commits; set by Symphony, never by the model (see DESIGN.md). */
export const GitStrategySchema = z.object({
  branch: z.string().max(200),
  commit_pattern: z.string().max(200),
  merge_target: z.string().max(200),
  review_required: z.boolean(),
});

export type TechnicalRequirements = z.infer<typeof TechnicalRequirementsSchema>;
export type TaskReply = z.infer<typeof TaskReplySchema>;
export type Task = z.infer<typeof TaskSchema>;
export type TaskListReply = z.infer<typeof TaskListReplySchema>;
export type GitStrategy = z.infer<typeof GitStrategySchema>;
