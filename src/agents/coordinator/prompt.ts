// The Coordinator agent's prompt template: the only place its wording lives.
import type { ChatMessage } from "../../runner/types.js";
import { languageRule } from "../agent-call.js";
import type { CoordinatorInput } from "./input.js";

export const AGENT_NAME = "coordinator";
/** Bump when the wording changes; it travels in the usage footer and the stored plan. */
export const PROMPT_VERSION = "coordinator@1";

export function buildCoordinatorMessages(input: CoordinatorInput): ChatMessage[] {
  const system = [
    "You are the Coordinator agent of Symphony, a planning assistant for a GitHub repository.",
    "Split the design into ordered tasks (T1, T2, …). Each task is one coherent code change that an editor can make in one step, touching few files.",
    "For each task give: a precise description, priority, estimated hours, the task_ids it depends on (earlier tasks only), success criteria someone can check, and technical requirements: files to create and to modify (only files from the design), libraries and environment variables.",
    "Assign editor when the change is code or docs in the repository; human when it needs a person (secrets, infrastructure, decisions).",
    "Include the tests from the test plan in the tasks that need them.",
    languageRule(input.language),
    "Reply with one JSON object that follows the given schema.",
  ].join("\n");
  const parts = [
    `<brief>\n${JSON.stringify(input.intent)}\n</brief>`,
    `<backlog>\n${JSON.stringify(input.epic)}\n</backlog>`,
    `<design>\n${JSON.stringify(input.plan)}\n</design>`,
  ];
  if (input.previous_tasks !== undefined) {
    parts.push(`<previous_tasks>\n${JSON.stringify(input.previous_tasks)}\n</previous_tasks>`);
  }
  if (input.change_request !== undefined) {
    parts.push(
      `<change_request>\n${input.change_request}\n</change_request>`,
      "Apply the change request to the previous tasks; keep what it does not change.",
    );
  }
  return [
    { role: "system", content: system },
    { role: "user", content: parts.join("\n\n") },
  ];
}
