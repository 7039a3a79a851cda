// Enhancer-Prompt agent: classifies the issue and rewrites it as a precise brief.
import type { ModelRuntime } from "../../runner/types.js";
import type { AgentCallOptions, AgentResult } from "../agent-call.js";
import { buildEnhancerMessages, AGENT_NAME, PROMPT_VERSION } from "./prompt.js";
import { EnhancerInputSchema, type EnhancerInput } from "./input.js";
import { IntentSchema, type Intent } from "./schema.js";

export async function enhanceRequest(
  runtime: ModelRuntime,
  input: EnhancerInput,
  options: AgentCallOptions = {},
): Promise<AgentResult<Intent>> {
  const { value, usage } = await runtime.generateObject({
    agent: AGENT_NAME,
    promptVersion: PROMPT_VERSION,
    schema: IntentSchema,
    messages: buildEnhancerMessages(EnhancerInputSchema.parse(input)),
    model: options.model,
    signal: options.signal,
  });
  return { value, usage };
}
