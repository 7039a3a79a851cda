// What the Feature agent reads.
import { z } from "zod";
import { IntentSchema } from "../enhancer/schema.js";
import { PlanSchema } from "../planner/schema.js";
import { EpicSchema } from "./schema.js";

export const FeatureModeSchema = z.enum(["plan", "deeper"]);

export const FeatureInputSchema = z.object({
  /** "plan" writes the backlog; "deeper" keeps it and adds subtasks to every feature. */
  mode: FeatureModeSchema,
  intent: IntentSchema,
  issue_context: z.string(),
  language: z.string().optional(),
  previous_epic: EpicSchema.optional(),
  /** In deeper mode, the design, so subtasks name real files. */
  plan: PlanSchema.optional(),
  change_request: z.string().max(4000).optional(),
});

export type FeatureMode = z.infer<typeof FeatureModeSchema>;
export type FeatureInput = z.infer<typeof FeatureInputSchema>;
