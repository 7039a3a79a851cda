// Planner agent: the technical design against the real file tree.
import type { ModelRuntime } from "../../runner/types.js";
import type { AgentCallOptions, AgentResult } from "../agent-call.js";
import { PlannerInputSchema, type PlannerInput } from "./input.js";
import { AGENT_NAME, buildPlannerMessages, PROMPT_VERSION } from "./prompt.js";
import { PlanSchema, type Plan } from "./schema.js";

export async function designPlan(
  runtime: ModelRuntime,
  input: PlannerInput,
  options: AgentCallOptions = {},
): Promise<AgentResult<Plan>> {
  const { value, usage } = await runtime.generateObject({
    agent: AGENT_NAME,
    promptVersion: PROMPT_VERSION,
    schema: PlanSchema,
    messages: buildPlannerMessages(PlannerInputSchema.parse(input)),
    model: options.model,
    signal: options.signal,
  });
  return { value, usage };
}
