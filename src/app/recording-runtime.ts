// The model runtime as the app hands it to features: every call counted in /metrics and in the
// current run's tally, so no agent has to report its own usage.
import type { z } from "zod";
import type {
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateTextRequest,
  GenerateTextResult,
  UsageRecord,
} from "../runner/types.js";
import type { SymphonyMetrics } from "./metrics.js";
import { allowLinksFrom, noteModelOutput } from "../comments/link-scope.js";
import { currentRunTally } from "./run-log.js";
import type { AppRuntime } from "./services.js";

export function recordingRuntime(runtime: AppRuntime, metrics: SymphonyMetrics): AppRuntime {
  const record = async <R extends { usage: UsageRecord }>(
    request: GenerateTextRequest,
    call: () => Promise<R>,
  ): Promise<R> => {
    for (const message of request.messages) allowLinksFrom(message.content);
    // The operator's model host, named in failures ("… is not on the Ollama host http://…").
    allowLinksFrom(runtime.describe());
    try {
      const result = await call();
      noteModelOutput(replyText(result));
      metrics.modelCallSucceeded(result.usage);
      currentRunTally()?.add(result.usage);
      return result;
    } catch (error) {
      metrics.modelCallFailed(request.agent, request.model ?? "default", error);
      currentRunTally()?.failed();
      throw error;
    }
  };
  const modelFor = runtime.modelFor;
  return {
    describe: () => runtime.describe(),
    health: () => runtime.health(),
    hosts: () => runtime.hosts?.() ?? [],
    freeSlots: () => runtime.freeSlots?.() ?? 1,
    allowedModels: () => runtime.allowedModels?.() ?? [],
    ...(modelFor
      ? {
          modelFor: (agent: string, requested?: string) => modelFor.call(runtime, agent, requested),
        }
      : {}),
    promptBudget: (model) => runtime.promptBudget(model),
    estimateTokens: (text) => runtime.estimateTokens(text),
    generateText: (request: GenerateTextRequest): Promise<GenerateTextResult> =>
      record(request, () => runtime.generateText(request)),
    generateObject: <S extends z.ZodType>(
      request: GenerateObjectRequest<S>,
    ): Promise<GenerateObjectResult<z.infer<S>>> =>
      record(request, () => runtime.generateObject(request)),
  };
}

/** What the model wrote, as text: the reply, or the parsed object of a structured call. */
function replyText(result: object): string {
  if ("text" in result && typeof result.text === "string") return result.text;
  if ("value" in result) return JSON.stringify(result.value) ?? "";
  return "";
}
