// What the Planner agent reads.
import { z } from "zod";
import { IntentSchema } from "../enhancer/schema.js";
import { EpicSchema } from "../feature/schema.js";
import { PlanSchema } from "./schema.js";

export const PlannerInputSchema = z.object({
  intent: IntentSchema,
  /** Absent when the Planner runs beside the Feature agent, from the brief alone. */
  epic: EpicSchema.optional(),
  issue_context: z.string(),
  readme: z.string(),
  /** The file tree as rendered by the context builder (bounded, maybe summarised). */
  file_tree: z.string(),
  /** Second round only: the contents of the files asked for in the first. */
  file_contents: z.string().optional(),
  /** First round only: whether the agent may ask to read files before answering. */
  may_request_files: z.boolean(),
  language: z.string().optional(),
  previous_plan: PlanSchema.optional(),
  change_request: z.string().max(4000).optional(),
});

export type PlannerInput = z.infer<typeof PlannerInputSchema>;
