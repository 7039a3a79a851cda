// The Coordinator agent: its prompt template (the only place its wording lives) and definition.
import { defineAgent } from "../define-agent.js";
import { changeRequestParts, planningPrompt, planningRole, tagged } from "../prompt-rules.js";
import { CoordinatorInputSchema, type CoordinatorInput } from "./input.js";
import { TaskListReplySchema } from "./schema.js";

/** Bump when the wording changes; it travels in the usage footer and the stored plan. */
export const PROMPT_VERSION = "coordinator@2";

export function buildCoordinatorMessages(input: CoordinatorInput) {
  const rules = [
    planningRole("Coordinator agent"),
    "Split the design into tasks, in the order to do them. Each task is one coherent code change that an editor can make in one step, touching few files.",
    "For each task give: a title, a precise description, technical requirements (files to create and to modify, only files from the design; libraries and environment variables), success criteria someone can check, then the estimated hours.",
    "A task that needs a person (secrets, infrastructure, decisions) lists no files. Symphony numbers the tasks and orders tasks that share a file.",
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
  output: TaskListReplySchema,
  messages: buildCoordinatorMessages,
  compact: true,
  example: {
    tasks: [
      {
        title: "Add the retry helper",
        description: "Create retry(fn, times) that retries network errors with backoff.",
        technical_requirements: {
          files_to_create: ["src/lib/retry.ts"],
          files_to_modify: [],
          libraries: [],
          environment_variables: [],
        },
        success_criteria: ["A network error is retried up to three times"],
        estimated_hours: 1,
      },
    ],
  },
});
