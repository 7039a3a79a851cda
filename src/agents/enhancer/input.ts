// What the Enhancer-Prompt agent reads.
import { z } from "zod";
import { IntentSchema } from "./schema.js";

export const EnhancerInputSchema = z.object({
  /** The issue as rendered by the context builder (bounded). */
  issue_context: z.string(),
  /** README excerpt and a short file overview, for grounding and for answering questions. */
  repository_overview: z.string(),
  language: z.string().optional(),
  /** `/symphony plan <what to change>`: the user's change, to apply to the previous intent. */
  change_request: z.string().max(4000).optional(),
  previous_intent: IntentSchema.optional(),
});

export type EnhancerInput = z.infer<typeof EnhancerInputSchema>;
