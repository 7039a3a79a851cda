// What the Code-Visualizer agent reads.
import { z } from "zod";
import { TaskSchema } from "../coordinator/schema.js";
import { IntentSchema } from "../enhancer/schema.js";
import { PlanSchema } from "../planner/schema.js";

export const VisualizerInputSchema = z.object({
  intent: IntentSchema,
  plan: PlanSchema,
  /** Absent when the Code-Visualizer runs beside the Coordinator, from the design alone. */
  tasks: z.array(TaskSchema).optional(),
  language: z.string().optional(),
});

export type VisualizerInput = z.infer<typeof VisualizerInputSchema>;
