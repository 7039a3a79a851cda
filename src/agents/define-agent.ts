// One way to define an agent: its name, prompt version, input and output schemas and messages.
// The typed call it returns fits the prompt into the model's budget, then asks the runtime.
//
//   export const enhancer = defineAgent({
//     name: "enhancer",                  // a name from src/agents/registry.ts
//     promptVersion: "enhancer@1",       // bump when the wording changes
//     input: EnhancerInputSchema,        // zod: what the messages are written from
//     output: IntentSchema,              // zod: a JSON reply (generateObject)
//     messages: buildEnhancerMessages,   // (input) => ChatMessage[]
//   });
//   const { value, usage, shortened } = await enhancer.call(runtime, input, { model, signal });
//
// `output` is one of:
// - a zod schema: the runtime sends it as JSON Schema (Ollama `format`, OpenAI `response_format`),
//   states it in the prompt, validates the reply and asks for repairs;
// - a function of the input returning a zod schema, where the reply's enums depend on the input
//   (the refactor suggester's targets);
// - `textReply(parse)`: a plain-text reply (generateText), turned into a value by `parse`, which
//   throws (a ModelOutputError) when the text is unusable. Code is better written as text than
//   inside JSON, so this is the shape for the Editor's edits: `parse` reads the SEARCH/REPLACE
//   blocks, and `maxOutputTokens` (a function of the input) leaves room for a whole file.
//
// Budgets, counted once here for every agent: the prompt budget is the model's context less the
// output allowance (the runtime's, or the call's own `maxOutputTokens`), capped by the settings'
// `max_context_tokens`; the prompt is measured as the runtime sends it, schema text and chat
// template included, with a small margin for a repair turn and the estimate's drift. Parts of the
// input that can be cut go in `context` (sections rendered within an allowance); agents whose
// input holds earlier agents' outputs set `compact` so long strings and lists may be shortened.
//
// A JSON reply's prompt shows a worked `example` of the reply (typed by the reply schema, so it
// fails to compile when the schema moves, and a test parses it), and ends, after the data, with
// the output rule: the reply's keys in the order the schema, and so the grammar, generates them.
import type { z } from "zod";
import type { EstimateTokens } from "../context/budget.js";
import type { ModelAgentName } from "../config/agent-names.js";
import { jsonSchemaFor, withSchemaInstruction } from "../runner/structured-output.js";
import { estimateMessageTokens } from "../runner/token-estimate.js";
import type { ChatMessage, ModelRuntime, StreamProgress, UsageRecord } from "../runner/types.js";
import { fitPrompt, type PromptContext } from "./fit-prompt.js";
import { replyRule, withReplyRule } from "./reply-rule.js";

/** Share of the budget kept free for a short repair turn and the estimate's drift. */
const SAFETY_SHARE = 0.03;

const TEXT_REPLY = Symbol("text reply");

/** A plain-text reply, parsed by the agent itself. */
export interface TextReply<T> {
  readonly [TEXT_REPLY]: true;
  /** The value the text stands for; throws (a ModelOutputError) when the text is unusable. */
  parse(text: string): T;
}

export function textReply<T>(parse: (text: string) => T): TextReply<T> {
  return { [TEXT_REPLY]: true, parse };
}

export type ReplyFormat = z.ZodType | TextReply<unknown>;

type ReplyValue<R> = R extends TextReply<infer T> ? T : R extends z.ZodType ? z.infer<R> : never;

/** What a worked example of a JSON reply is: what the model writes. Text replies show their own. */
type ReplyExample<R> =
  R extends TextReply<unknown> ? never : R extends z.ZodType ? z.input<R> : never;

export interface AgentDefinition<
  In extends z.ZodType,
  R extends ReplyFormat,
  N extends ModelAgentName = ModelAgentName,
> {
  name: N;
  /** Travels in the usage footer and the stored plan; bump it when the wording changes. */
  promptVersion: string;
  /** What the messages are written from; validated before every call (no defaults: in = out). */
  input: In;
  output: R | ((input: z.infer<In>) => R);
  /**
   * The prompt, without the schema text the runtime appends for JSON replies, nor the example
   * and the output rule that defineAgent adds to it.
   */
  messages: (input: z.infer<In>) => ChatMessage[];
  /** A short worked example of the reply (JSON replies), shown in the system message. */
  example?: NoInfer<ReplyExample<R>>;
  /** Whether long strings and lists of the input may be cut (shape kept) to fit the budget. */
  compact?: boolean;
  /** Output tokens to reserve for this input, where the runtime's default is not enough. */
  maxOutputTokens?: (input: z.infer<In>, estimate: EstimateTokens) => number | undefined;
}

export interface AgentCallOptions {
  /** Model to prefer (from config, already checked against the operator's list). */
  model?: string;
  signal?: AbortSignal;
  /** The settings' `max_context_tokens`: a cap below the model's own prompt budget. */
  maxContextTokens?: number;
  /** Output tokens to reserve; overrides the definition's and the runtime's. */
  maxOutputTokens?: number;
  onProgress?: (progress: StreamProgress) => void;
}

export interface AgentCall<I> extends AgentCallOptions {
  /** The parts of the input to cut to fit, filled into it by `assemble`. */
  context?: PromptContext<I>;
}

export interface AgentResult<T> {
  value: T;
  usage: UsageRecord;
  /** Context sections that were shortened to fit, by label. */
  shortened: string[];
}

export interface DefinedAgent<I, T, N extends ModelAgentName = ModelAgentName> {
  readonly name: N;
  readonly promptVersion: string;
  readonly input: z.ZodType<I>;
  /** The worked example the prompt shows, where the agent has one. */
  readonly example: unknown;
  /** The prompt: for a JSON reply with the example and, after the data, the output rule. */
  messages(input: I): ChatMessage[];
  /** The messages as the runtime sends them: for a JSON reply, with the schema stated in words. */
  sentMessages(input: I): ChatMessage[];
  /** The JSON reply's schema for this input; undefined for a text reply. */
  replySchema(input: I): z.ZodType | undefined;
  /** Fits the prompt to the budget, asks the model, and returns the reply's value. */
  call(runtime: ModelRuntime, input: I, options?: AgentCall<I>): Promise<AgentResult<T>>;
  /**
   * Prompt tokens left beside `input` (its variable part empty) under the same budget the call
   * keeps, for a caller that splits a long text over several calls itself (review chunks).
   */
  room(runtime: ModelRuntime, input: I, options?: AgentCallOptions): Promise<number>;
}

function isTextReply(format: ReplyFormat): format is TextReply<unknown> {
  return TEXT_REPLY in format;
}

export function defineAgent<
  In extends z.ZodType,
  R extends ReplyFormat,
  const N extends ModelAgentName,
>(definition: AgentDefinition<In, R, N>): DefinedAgent<z.infer<In>, ReplyValue<R>, N> {
  type I = z.infer<In>;
  const { name, promptVersion } = definition;
  const formatFor = (input: I): R =>
    typeof definition.output === "function" ? definition.output(input) : definition.output;

  const messagesFor = (input: I): ChatMessage[] => {
    const format = formatFor(input);
    const messages = definition.messages(input);
    if (isTextReply(format)) return messages;
    return withReplyRule(messages, replyRule(jsonSchemaFor(format)), definition.example);
  };
  const sentMessages = (input: I): ChatMessage[] => {
    const format = formatFor(input);
    const messages = messagesFor(input);
    return isTextReply(format) ? messages : withSchemaInstruction(messages, jsonSchemaFor(format));
  };
  /** The request's size as the runtime sends it: the messages, and the schema it states. */
  const sizeOf = (input: I, estimate: EstimateTokens): number =>
    estimateMessageTokens(sentMessages(input), estimate);

  const allowance = (runtime: ModelRuntime, input: I, options: AgentCallOptions) =>
    options.maxOutputTokens ??
    definition.maxOutputTokens?.(input, (text) => runtime.estimateTokens(text));

  /** Tokens the prompt may take: the budget less the safety margin. */
  const usable = async (runtime: ModelRuntime, input: I, options: AgentCallOptions) => {
    const modelBudget = await runtime.promptBudget(
      options.model,
      allowance(runtime, input, options),
    );
    const budget = Math.min(modelBudget, options.maxContextTokens ?? modelBudget);
    return Math.floor(budget * (1 - SAFETY_SHARE));
  };

  return {
    name,
    promptVersion,
    input: definition.input as z.ZodType<I>,
    example: definition.example,
    messages: messagesFor,
    sentMessages,
    replySchema: (input) => {
      const format = formatFor(input);
      return isTextReply(format) ? undefined : format;
    },

    async room(runtime, input, options = {}) {
      const estimate = (text: string) => runtime.estimateTokens(text);
      return (await usable(runtime, input, options)) - sizeOf(input, estimate);
    },

    async call(runtime, given, options = {}) {
      const estimate = (text: string) => runtime.estimateTokens(text);
      const fitted = fitPrompt({
        usable: await usable(runtime, given, options),
        sizeOf: (input) => sizeOf(input, estimate),
        estimate,
        input: given,
        ...(options.context ? { context: options.context } : {}),
        compact: definition.compact ?? false,
      });
      const input = definition.input.parse(fitted.input) as I;
      const maxOutputTokens = allowance(runtime, input, options);
      const request = {
        agent: name,
        promptVersion,
        messages: messagesFor(input),
        ...(options.model !== undefined ? { model: options.model } : {}),
        ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      };
      const format = formatFor(input);
      if (isTextReply(format)) {
        const { text, usage } = await runtime.generateText(request);
        return { value: format.parse(text) as ReplyValue<R>, usage, shortened: fitted.shortened };
      }
      const { value, usage } = await runtime.generateObject({ ...request, schema: format });
      return { value: value as ReplyValue<R>, usage, shortened: fitted.shortened };
    },
  };
}
