// Feature agent: writes the backlog (EPIC and features) or, looking deeper, adds subtasks to it.
import type { ModelRuntime } from "../../runner/types.js";
import type { AgentCallOptions, AgentResult } from "../agent-call.js";
import { FeatureInputSchema, type FeatureInput } from "./input.js";
import { AGENT_NAME, buildFeatureMessages, PROMPT_VERSION } from "./prompt.js";
import { EpicSchema, type Epic } from "./schema.js";

export async function extractEpic(
  runtime: ModelRuntime,
  input: FeatureInput,
  options: AgentCallOptions = {},
): Promise<AgentResult<Epic>> {
  const { value, usage } = await runtime.generateObject({
    agent: AGENT_NAME,
    promptVersion: PROMPT_VERSION,
    schema: EpicSchema,
    messages: buildFeatureMessages(FeatureInputSchema.parse(input)),
    model: options.model,
    signal: options.signal,
  });
  return { value, usage };
}
