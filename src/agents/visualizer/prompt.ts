// The Code-Visualizer agent's prompt template: the only place its wording lives.
import type { ChatMessage } from "../../runner/types.js";
import { languageRule } from "../agent-call.js";
import type { VisualizerInput } from "./input.js";

export const AGENT_NAME = "visualizer";
/** Bump when the wording changes; it travels in the usage footer and the stored plan. */
export const PROMPT_VERSION = "visualizer@2";

export function buildVisualizerMessages(input: VisualizerInput): ChatMessage[] {
  const system = [
    "You are the Code-Visualizer agent of Symphony, a planning assistant for a GitHub repository.",
    `From the design${input.tasks ? " and the tasks" : ""}, write pseudocode of the main logic and a Mermaid flowchart of its control flow.`,
    'The flowchart starts with "flowchart TD", uses short node ids (A, B, C…), writes labels as plain text without quotes (A[Read config], B{Is it valid?}; Symphony adds the quotes), labels edges like A -->|yes| B, and has at most 30 nodes. No code fences, no click or style directives.',
    "Then check the logic: list what the plan leaves undefined (inputs, error cases, limits, decisions nobody made) and where the design, tasks and brief contradict each other. Leave a list empty when there is nothing to say; never invent problems.",
    languageRule(input.language),
    "Reply with one JSON object that follows the given schema.",
  ].join("\n");
  const parts = [
    `<brief>\n${JSON.stringify(input.intent)}\n</brief>`,
    `<design>\n${JSON.stringify(input.plan)}\n</design>`,
    ...(input.tasks ? [`<tasks>\n${JSON.stringify(input.tasks)}\n</tasks>`] : []),
  ];
  return [
    { role: "system", content: system },
    { role: "user", content: parts.join("\n\n") },
  ];
}
