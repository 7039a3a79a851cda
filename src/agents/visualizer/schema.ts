// Code-Visualizer agent's output: pseudocode, a Mermaid flowchart and a logic validation report.
import { z } from "zod";

export const VisualSchema = z.object({
  pseudocode: z
    .string()
    .max(6000)
    .describe("Pseudocode of the main logic, indented, no real code."),
  mermaid: z
    .string()
    .max(4000)
    .describe(
      "Mermaid flowchart source starting with 'flowchart TD'; short plain-text node labels, unquoted; no code fences.",
    ),
  undefined_points: z
    .array(z.string().max(400))
    .max(10)
    .describe("What the plan leaves undefined: inputs, error cases, decisions nobody made."),
  contradictions: z
    .array(z.string().max(400))
    .max(10)
    .describe("Where the plan, tasks or backlog contradict each other."),
});

export type Visual = z.infer<typeof VisualSchema>;
