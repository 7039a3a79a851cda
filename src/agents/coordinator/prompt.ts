// The Coordinator agent: its prompt template (the only place its wording lives) and definition.
import { defineAgent } from "../define-agent.js";
import { changeRequestParts, planningPrompt, planningRole, tagged } from "../prompt-rules.js";
import { CoordinatorInputSchema, type CoordinatorInput } from "./input.js";
import { TaskListSchema } from "./schema.js";

/** Bump when the wording changes; it travels in the usage footer and the stored plan. */
export const PROMPT_VERSION = "coordinator@1";

export function buildCoordinatorMessages(input: CoordinatorInput) {
  const rules = [
    planningRole("Coordinator agent"),
    "Split the design into ordered tasks (T1, T2, …). Each task is one coherent code change that an editor can make in one step, touching few files.",
    "For each task give: a precise description, priority, estimated hours, the task_ids it depends on (earlier tasks only), success criteria someone can check, and technical requirements: files to create and to modify (only files from the design), libraries and environment variables.",
    "Assign editor when the change is code or docs in the repository; human when it needs a person (secrets, infrastructure, decisions).",
    "Include the tests from the test plan in the tasks that need them.",
  ];
  const parts = [
    tagged("brief", JSON.stringify(input.intent)),
    tagged("backlog", JSON.stringify(input.epic)),
    tagged("design", JSON.stringify(input.plan)),
  ];
  if (input.previous_tasks !== undefined) {
    parts.push(tagged("previous_tasks", JSON.stringify(input.previous_tasks)));
  }
  parts.push(...changeRequestParts(input.change_request, "tasks"));
  return planningPrompt(rules, input.language, parts);
}

/** The design as ordered tasks, each bound to files and sized for one Editor call. */
export const splitIntoTasks = defineAgent({
  name: "coordinator",
  promptVersion: PROMPT_VERSION,
  input: CoordinatorInputSchema,
  output: TaskListSchema,
  messages: buildCoordinatorMessages,
  compact: true,
});
