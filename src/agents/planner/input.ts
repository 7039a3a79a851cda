// What the Planner agent reads.
import { z } from "zod";
import { IntentSchema } from "../enhancer/schema.js";
import { EpicSchema } from "../feature/schema.js";
import { PlanReplySchema } from "./schema.js";

export const PlannerInputSchema = z.object({
  intent: IntentSchema,
  /** Absent when the Planner runs beside the Feature agent, from the brief alone. */
  epic: EpicSchema.optional(),
  issue_context: z.string(),
  readme: z.string(),
  /** The file tree as rendered by the context builder (bounded, maybe summarised). */
  file_tree: z.string(),
  /** The contents of the files read before the design (context/related-files.ts); may be empty. */
  file_contents: z.string(),
  language: z.string().optional(),
  /** `/symphony plan <what to change>`: the design to change, as the model wrote it. */
  previous_plan: PlanReplySchema.optional(),
  change_request: z.string().max(4000).optional(),
});

export type PlannerInput = z.infer<typeof PlannerInputSchema>;
