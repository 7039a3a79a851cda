// Fits one agent call into its model's prompt budget: agent outputs first, context in what is left.
import { z } from "zod";
import type { ChatMessage } from "../../runner/types.js";
import { fitSections, type EstimateTokens } from "../../context/budget.js";
import { compactJson } from "../../context/compact-json.js";
import type { LabelledSection } from "../../context/planning-context.js";

/** Share of the budget that earlier agents' outputs may take before they are shortened. */
const FIXED_SHARE = 0.5;
/** Room left for what the runtime adds around the messages (schema hints, chat template). */
const SAFETY_SHARE = 0.03;
const TOKENS_PER_MESSAGE = 4;

export interface FittedPrompt<I> {
  input: I;
  /** Sections that had to be shortened, by label. */
  shortened: string[];
  promptTokens: number;
}

export interface FitPromptRequest<I> {
  budget: number;
  /** Tokens the runtime adds to the prompt: the reply's JSON Schema, stated in words. */
  reserve: number;
  estimate: EstimateTokens;
  /** The agent's input with every context section empty. */
  fixed: I;
  sections: LabelledSection[];
  /** The input with the fitted context sections filled in. */
  assemble: (fixed: I, context: Record<string, string>) => I;
  messages: (input: I) => ChatMessage[];
}

const schemaTokens = new WeakMap<z.ZodType, number>();

/**
 * What the runtime adds to a structured call's prompt: it states the JSON Schema in words for
 * servers and small models that do not follow `format` alone. Counted here so the whole fits.
 */
export function schemaReserve(schema: z.ZodType, estimate: EstimateTokens): number {
  let tokens = schemaTokens.get(schema);
  if (tokens === undefined) {
    tokens = estimate(JSON.stringify(z.toJSONSchema(schema))) + 48;
    schemaTokens.set(schema, tokens);
  }
  return tokens;
}

export function promptTokens(messages: ChatMessage[], estimate: EstimateTokens): number {
  return messages.reduce((sum, m) => sum + estimate(m.content) + TOKENS_PER_MESSAGE, 0);
}

export function fitPrompt<I>(request: FitPromptRequest<I>): FittedPrompt<I> {
  const { budget, estimate, sections, assemble, messages } = request;
  const usable = Math.floor(budget * (1 - SAFETY_SHARE)) - request.reserve;
  const empty = Object.fromEntries(sections.map((s) => [s.name, ""]));
  const sizeOf = (input: I): number => promptTokens(messages(input), estimate);
  const fixedLimit = sections.length === 0 ? usable : Math.floor(usable * FIXED_SHARE);
  const fixed = compactJson(request.fixed, (c) => sizeOf(assemble(c, empty)) <= fixedLimit);
  let room = usable - sizeOf(assemble(fixed, empty));
  let fitted: Record<string, string> = empty;
  let input = assemble(fixed, fitted);
  // Estimates of parts do not add up exactly to the estimate of the whole; a few passes settle it.
  for (let pass = 0; pass < 4 && sections.length > 0; pass += 1) {
    fitted = fitSections(sections, room, estimate);
    input = assemble(fixed, fitted);
    const over = sizeOf(input) - usable;
    if (over <= 0) break;
    room -= over + 8;
  }
  const shortened = sections
    .filter((s) => fitted[s.name] !== s.fit(Number.POSITIVE_INFINITY))
    .map((s) => s.label);
  return { input, shortened, promptTokens: sizeOf(input) };
}
