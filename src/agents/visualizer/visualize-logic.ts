// Code-Visualizer agent: pseudocode, a control-flow diagram and what the plan leaves undefined.
import type { ModelRuntime } from "../../runner/types.js";
import type { AgentCallOptions, AgentResult } from "../agent-call.js";
import { VisualizerInputSchema, type VisualizerInput } from "./input.js";
import { AGENT_NAME, buildVisualizerMessages, PROMPT_VERSION } from "./prompt.js";
import { VisualSchema, type Visual } from "./schema.js";

export async function visualizeLogic(
  runtime: ModelRuntime,
  input: VisualizerInput,
  options: AgentCallOptions = {},
): Promise<AgentResult<Visual>> {
  const { value, usage } = await runtime.generateObject({
    agent: AGENT_NAME,
    promptVersion: PROMPT_VERSION,
    schema: VisualSchema,
    messages: buildVisualizerMessages(VisualizerInputSchema.parse(input)),
    model: options.model,
    signal: options.signal,
  });
  return { value, usage };
}
