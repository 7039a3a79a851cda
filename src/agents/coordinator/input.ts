// What the Coordinator agent reads.
import { z } from "zod";
import { IntentSchema } from "../enhancer/schema.js";
import { EpicSchema } from "../feature/schema.js";
import { PlanSchema } from "../planner/schema.js";
import { TaskReplySchema } from "./schema.js";

export const CoordinatorInputSchema = z.object({
  intent: IntentSchema,
  epic: EpicSchema,
  /** The design after path validation: every file in it is real or new under a real folder. */
  plan: PlanSchema,
  language: z.string().optional(),
  /** `/symphony plan <what to change>`: the tasks to change, as the model wrote them. */
  previous_tasks: z.array(TaskReplySchema).optional(),
  change_request: z.string().max(4000).optional(),
});

export type CoordinatorInput = z.infer<typeof CoordinatorInputSchema>;
