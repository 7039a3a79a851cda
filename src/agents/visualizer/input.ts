// What the Code-Visualizer agent reads.
import { z } from "zod";
import { TaskSchema } from "../coordinator/schema.js";
import { IntentSchema } from "../enhancer/schema.js";
import { PlanSchema } from "../planner/schema.js";

export const VisualizerInputSchema = z.object({
  intent: IntentSchema,
  plan: PlanSchema,
  tasks: z.array(TaskSchema),
  language: z.string().optional(),
});

export type VisualizerInput = z.infer<typeof VisualizerInputSchema>;
