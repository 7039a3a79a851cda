// A ModelRuntime double: answers each call from a script, validates like the real runtime, records calls.
import type { z } from "zod";
import type {
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateTextRequest,
  GenerateTextResult,
  ModelRuntime,
  UsageRecord,
} from "../../../src/runner/types.js";

export type ScriptedAnswer = (request: GenerateObjectRequest<z.ZodType>) => unknown;

export interface ScriptedRuntime extends ModelRuntime {
  calls: GenerateObjectRequest<z.ZodType>[];
  /** Plain-text calls (the multi-line suggestions), apart from the structured ones. */
  textCalls: GenerateTextRequest[];
}

/** A plain-text reply, or an Error to throw. */
export type ScriptedTextAnswer = (request: GenerateTextRequest) => string | Error;

/** Roughly four characters a token, like the runtime's own estimate. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

function usageOf(request: GenerateTextRequest, prompt: number): UsageRecord {
  return {
    agent: request.agent,
    promptVersion: request.promptVersion,
    provider: "ollama",
    host: "http://127.0.0.1:11434",
    model: request.model ?? "qwen2.5-coder:7b",
    promptTokens: prompt,
    outputTokens: 100,
    estimatedPromptTokens: prompt,
    wallMs: 1200,
    retries: 0,
    repairRounds: 0,
    fallbackUsed: false,
  };
}

export function scriptedRuntime(
  answer: ScriptedAnswer,
  promptBudget = 14_000,
  textAnswer?: ScriptedTextAnswer,
): ScriptedRuntime {
  const calls: GenerateObjectRequest<z.ZodType>[] = [];
  const textCalls: GenerateTextRequest[] = [];
  return {
    calls,
    textCalls,
    estimateTokens,
    promptBudget: () => Promise.resolve(promptBudget),
    generateText(request): Promise<GenerateTextResult> {
      textCalls.push(request);
      const text = textAnswer?.(request) ?? new Error("not scripted");
      if (text instanceof Error) return Promise.reject(text);
      const prompt = request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
      return Promise.resolve({ text, usage: usageOf(request, prompt) });
    },
    generateObject<S extends z.ZodType>(
      request: GenerateObjectRequest<S>,
    ): Promise<GenerateObjectResult<z.infer<S>>> {
      calls.push(request);
      const prompt = request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
      try {
        const value = request.schema.parse(answer(request)) as z.infer<S>;
        return Promise.resolve({ value, usage: usageOf(request, prompt) });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/** The diff text the Editor was shown in a call. */
export const shownDiff = (request: GenerateObjectRequest<z.ZodType>): string =>
  request.messages.map((message) => message.content).join("\n");
