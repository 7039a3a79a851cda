// A scripted ModelRuntime for tests, in the manner of the Vercel AI SDK's mock model: replies are
// queued per agent (values, functions of the request, or errors to throw), checked against the
// request's schema as the real runtime would, and every call is recorded for assertions.
import { z } from "zod";
import { ModelOutputError } from "../../src/runner/errors.js";
import type {
  ChatMessage,
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateTextRequest,
  GenerateTextResult,
  ModelRuntime,
  UsageRecord,
} from "../../src/runner/types.js";

export interface RecordedCall {
  kind: "object" | "text";
  agent: string;
  promptVersion: string;
  model: string | undefined;
  messages: ChatMessage[];
  /** The zod schema the agent asked for (object calls only). */
  schema: z.ZodType | undefined;
  /**
   * The prompt's size as the real runtime sends it: the messages plus the JSON Schema it states
   * in the prompt for structured calls, counted with the estimator agents were given.
   */
  promptTokens: number;
  /** What promptBudget() answered for this call's model. */
  budget: number;
}

/** A reply: a value (validated against the schema), an Error (thrown), or a function of the call. */
export type ScriptedReply = unknown;
export type ReplyFunction = (call: RecordedCall) => unknown;

export interface MockModelRuntimeOptions {
  /** Prompt tokens available per call; a number, or per model. Default 32,768. */
  promptBudget?: number | ((model: string | undefined) => number);
  /** Token estimate; default one token per four characters, rounded up. */
  estimateTokens?: (text: string) => number;
  /** The model named in usage records when a call names none. */
  defaultModel?: string;
}

export class MockModelRuntime implements ModelRuntime {
  readonly calls: RecordedCall[] = [];
  private readonly queues = new Map<string, unknown[]>();
  private readonly fallbacks = new Map<string, ReplyFunction>();

  constructor(private readonly options: MockModelRuntimeOptions = {}) {}

  /**
   * Queues replies for an agent, used one per call in order. The key is an agent's name, or a
   * prompt version for one step of an agent (a version's replies come before its agent's).
   */
  script(agent: string, ...replies: ScriptedReply[]): this {
    this.queues.set(agent, [...(this.queues.get(agent) ?? []), ...replies]);
    return this;
  }

  /** Answers every call of an agent (or prompt version) whose queue is empty. */
  respond(agent: string, reply: ReplyFunction): this {
    this.fallbacks.set(agent, reply);
    return this;
  }

  callsFor(agent: string): RecordedCall[] {
    return this.calls.filter((c) => c.agent === agent);
  }

  async generateObject<S extends z.ZodType>(
    request: GenerateObjectRequest<S>,
  ): Promise<GenerateObjectResult<z.infer<S>>> {
    const call = await this.record("object", request, request.schema);
    const reply = await this.nextReply(call);
    const parsed = request.schema.safeParse(reply);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      throw new ModelOutputError(
        `the model's reply for the ${request.agent} agent did not match the expected shape`,
        JSON.stringify(reply) ?? "",
        issues,
      );
    }
    return { value: parsed.data, usage: this.usage(call, JSON.stringify(parsed.data)) };
  }

  async generateText(request: GenerateTextRequest): Promise<GenerateTextResult> {
    const call = await this.record("text", request, undefined);
    const reply = await this.nextReply(call);
    if (typeof reply !== "string")
      throw new Error(`MockModelRuntime: a text reply for ${request.agent} must be a string`);
    return { text: reply, usage: this.usage(call, reply) };
  }

  async promptBudget(model?: string): Promise<number> {
    const budget = this.options.promptBudget ?? 32_768;
    return typeof budget === "number" ? budget : budget(model);
  }

  estimateTokens(text: string): number {
    return this.options.estimateTokens
      ? this.options.estimateTokens(text)
      : Math.ceil(text.length / 4);
  }

  private async record(
    kind: RecordedCall["kind"],
    request: GenerateTextRequest,
    schema: z.ZodType | undefined,
  ): Promise<RecordedCall> {
    const call: RecordedCall = {
      kind,
      agent: request.agent,
      promptVersion: request.promptVersion,
      model: request.model,
      messages: request.messages,
      schema,
      promptTokens:
        this.estimateTokens(request.messages.map((m) => m.content).join("\n")) +
        (schema ? this.estimateTokens(JSON.stringify(z.toJSONSchema(schema))) : 0),
      budget: await this.promptBudget(request.model),
    };
    this.calls.push(call);
    return call;
  }

  private async nextReply(call: RecordedCall): Promise<unknown> {
    // A prompt version's replies (queued, then standing) come before its agent's.
    let reply: unknown;
    const key = [call.promptVersion, call.agent].find(
      (k) => (this.queues.get(k)?.length ?? 0) > 0 || this.fallbacks.has(k),
    );
    if (key === undefined) {
      throw new Error(`MockModelRuntime: no reply scripted for the ${call.agent} agent`);
    }
    const queue = this.queues.get(key) ?? [];
    reply = queue.length > 0 ? queue.shift() : this.fallbacks.get(key);
    if (typeof reply === "function") reply = await (reply as ReplyFunction)(call);
    if (reply instanceof Error) throw reply;
    return reply;
  }

  private usage(call: RecordedCall, output: string): UsageRecord {
    return {
      agent: call.agent,
      promptVersion: call.promptVersion,
      provider: "ollama",
      host: "http://127.0.0.1:11434",
      model: call.model ?? this.options.defaultModel ?? "mock-model",
      promptTokens: call.promptTokens,
      outputTokens: this.estimateTokens(output),
      estimatedPromptTokens: call.promptTokens,
      numCtx: call.budget,
      wallMs: 0,
      retries: 0,
      repairRounds: 0,
      fallbackUsed: false,
      doneReason: "stop",
    };
  }
}
