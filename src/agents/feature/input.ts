// What the Feature agent reads: the brief to write a backlog from, or the backlog to look deeper into.
import { z } from "zod";
import { IntentSchema } from "../enhancer/schema.js";
import { PlanSchema } from "../planner/schema.js";
import { EpicReplySchema, EpicSchema } from "./schema.js";

export const FeatureInputSchema = z.object({
  intent: IntentSchema,
  issue_context: z.string(),
  language: z.string().optional(),
  /** `/symphony plan <what to change>`: the backlog to change, as the model wrote it. */
  previous_epic: EpicReplySchema.optional(),
  change_request: z.string().max(4000).optional(),
});

/** `/symphony deeper`: the backlog kept as it is, and the design, so subtasks name real files. */
export const DeeperInputSchema = z.object({
  intent: IntentSchema,
  issue_context: z.string(),
  language: z.string().optional(),
  epic: EpicSchema,
  plan: PlanSchema,
});

export type FeatureInput = z.infer<typeof FeatureInputSchema>;
export type DeeperInput = z.infer<typeof DeeperInputSchema>;
