// The Code-Visualizer agent: its prompt template (the only place its wording lives) and definition.
import { defineAgent } from "../define-agent.js";
import { planningPrompt, planningRole, tagged } from "../prompt-rules.js";
import { VisualizerInputSchema, type VisualizerInput } from "./input.js";
import { VisualSchema } from "./schema.js";

/** Bump when the wording changes; it travels in the usage footer and the stored plan. */
export const PROMPT_VERSION = "visualizer@3";

export function buildVisualizerMessages(input: VisualizerInput) {
  const rules = [
    planningRole("Code-Visualizer agent"),
    `From the design${input.tasks ? " and the tasks" : ""}, write pseudocode of the main logic and a Mermaid flowchart of its control flow.`,
    'The flowchart starts with "flowchart TD", uses short node ids (A, B, C…), writes labels as plain text without quotes (A[Read config], B{Is it valid?}; Symphony adds the quotes), labels edges like A -->|yes| B, and has at most 30 nodes. No code fences, no click or style directives.',
    "Then check the logic: list what the plan leaves undefined (inputs, error cases, limits, decisions nobody made) and where the design, tasks and brief contradict each other. Leave a list empty when there is nothing to say; never invent problems.",
  ];
  const parts = [
    tagged("brief", JSON.stringify(input.intent)),
    tagged("design", JSON.stringify(input.plan)),
    ...(input.tasks ? [tagged("tasks", JSON.stringify(input.tasks))] : []),
  ];
  return planningPrompt(rules, input.language, parts);
}

/** Pseudocode and a Mermaid flowchart of the plan's logic, and what the plan leaves undefined. */
export const visualizeLogic = defineAgent({
  name: "visualizer",
  promptVersion: PROMPT_VERSION,
  input: VisualizerInputSchema,
  output: VisualSchema,
  messages: buildVisualizerMessages,
  compact: true,
  example: {
    pseudocode: "upload(file):\n  repeat 3 times:\n    if store(file) succeeds: return\n  fail",
    mermaid: "flowchart TD\n  A[Upload] --> B{Stored?}\n  B -->|no| A\n  B -->|yes| C[Done]",
    undefined_points: ["What the user sees after the third failure"],
    contradictions: [],
  },
});
