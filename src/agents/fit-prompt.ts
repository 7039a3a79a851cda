// Fits one agent call into its prompt budget: the input's fixed part first (earlier agents'
// outputs, shortened where the agent allows it), then its flexible context sections in what is left.
import { fitSections, type EstimateTokens } from "../context/budget.js";
import { compactJson } from "../context/compact-json.js";
import type { LabelledSection } from "../context/planning-context.js";

/** Share of the budget that the fixed part may take before it is shortened, beside sections. */
const FIXED_SHARE = 0.5;

/** The parts of an input that can be cut to fit: rendered within an allowance, then put in. */
export interface PromptContext<I> {
  sections: readonly LabelledSection[];
  /** The input with the fitted sections filled in, by section name. */
  assemble: (input: I, fitted: Readonly<Record<string, string>>) => I;
}

export interface FitPromptRequest<I> {
  /** Tokens the whole request may take, as `sizeOf` counts them. */
  usable: number;
  /** The request's size as the runtime will send it (schema text and chat template included). */
  sizeOf: (input: I) => number;
  estimate: EstimateTokens;
  /** The input; where there are sections, with every section's field empty. */
  input: I;
  context?: PromptContext<I>;
  /** Whether long strings and lists of the fixed part may be cut (shape kept) to make room. */
  compact: boolean;
}

export interface FittedPrompt<I> {
  input: I;
  /** Sections that had to be shortened, by label. */
  shortened: string[];
  promptTokens: number;
}

export function fitPrompt<I>(request: FitPromptRequest<I>): FittedPrompt<I> {
  const { usable, estimate, sizeOf } = request;
  const sections = request.context?.sections ?? [];
  const assemble = request.context?.assemble ?? ((input: I) => input);
  const empty = Object.fromEntries(sections.map((s) => [s.name, ""]));
  const fixedLimit = sections.length === 0 ? usable : Math.floor(usable * FIXED_SHARE);
  const fixed = request.compact
    ? compactJson(request.input, (c) => sizeOf(assemble(c, empty)) <= fixedLimit)
    : request.input;
  let room = usable - sizeOf(assemble(fixed, empty));
  let fitted: Record<string, string> = empty;
  let input = assemble(fixed, fitted);
  // Estimates of parts do not add up exactly to the estimate of the whole; a few passes settle it.
  for (let pass = 0; pass < 4 && sections.length > 0; pass += 1) {
    fitted = fitSections([...sections], room, estimate);
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
