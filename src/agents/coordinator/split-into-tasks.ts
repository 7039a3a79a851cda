// Coordinator agent: the design split into tasks, each bound to files and sized for one edit.
import type { ModelRuntime } from "../../runner/types.js";
import type { AgentCallOptions, AgentResult } from "../agent-call.js";
import { CoordinatorInputSchema, type CoordinatorInput } from "./input.js";
import { AGENT_NAME, buildCoordinatorMessages, PROMPT_VERSION } from "./prompt.js";
import { TaskListSchema, type Task } from "./schema.js";

export async function splitIntoTasks(
  runtime: ModelRuntime,
  input: CoordinatorInput,
  options: AgentCallOptions = {},
): Promise<AgentResult<Task[]>> {
  const { value, usage } = await runtime.generateObject({
    agent: AGENT_NAME,
    promptVersion: PROMPT_VERSION,
    schema: TaskListSchema,
    messages: buildCoordinatorMessages(CoordinatorInputSchema.parse(input)),
    model: options.model,
    signal: options.signal,
  });
  return { value: value.tasks, usage };
}
