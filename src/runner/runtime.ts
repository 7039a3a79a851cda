// The model runtime agents call: fallback chain, retries, context sizing, structured output.
import type { z } from "zod";
import { CallDeadline } from "./call-deadline.js";
import { contextLimit, evidentlyTruncated } from "./context-window.js";
import { isCutOff, MAX_ALLOWANCE_RAISES, raisedAllowance, ReplyCutOffError } from "./cut-off.js";
import {
  ContextOverflowError,
  ModelAbortedError,
  ModelOutputError,
  ModelRuntimeError,
} from "./errors.js";
import { engineSchemaFor } from "./grammar-safe-schema.js";
import type { HostCallReport, HostPool, HostStatus, PoolLink } from "./host-pool.js";
import { exponentialBackoff, pause, worthRetrying, type Backoff } from "./retry-policy.js";
import type { RuntimeSettings } from "./settings.js";
import {
  jsonSchemaFor,
  parseReply,
  repairRequest,
  withSchemaInstruction,
} from "./structured-output.js";
import { estimateMessageTokens, estimateTokens } from "./token-estimate.js";
import type {
  ChatMessage,
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateTextRequest,
  GenerateTextResult,
  ModelProvider,
  ModelRuntime,
  ModelTarget,
  ProviderHealth,
  ProviderReply,
  RoutedModel,
  UsageRecord,
} from "./types.js";
import { UsageTally, type Answer } from "./usage-tally.js";

/** Pino-compatible: Probot's `app.log` and `context.log` fit as they are. */
export interface RuntimeLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SymphonyRuntime extends ModelRuntime {
  readonly settings: RuntimeSettings;
  /** e.g. "ollama http://127.0.0.1:11434 model qwen2.5-coder:14b, fallback openai https://… model …"; never a key. */
  describe(): string;
  /** Whether the first link's host answers and has its model. Never throws. */
  health(): Promise<ProviderHealth>;
  /** Every host the runtime calls (main, SYMPHONY_MODEL_HOSTS, fallback), as it stands now. */
  hosts(): HostStatus[];
  /** Requests the first link's hosts could start right now. */
  freeSlots(): number;
  /** The models a repository (or the Conductor's learning) may ask for. */
  allowedModels(): readonly string[];
  /** The model an agent's calls go to first, given what the repository's config asks for. */
  modelFor(agent: string, requested?: string): RoutedModel;
  /** Background health checks of the hosts every `intervalMs`; stopped by `stopHealthChecks`. */
  startHealthChecks(intervalMs: number): void;
  stopHealthChecks(): void;
}

export interface RuntimeOptions {
  logger?: RuntimeLogger;
  /** The fetch every provider uses (tests, proxies). */
  fetch?: typeof fetch;
  /** Delay before each retry; tests pass `() => 0`. */
  backoff?: Backoff;
  /** Called with the usage record of every successful call (metrics). */
  onUsage?: (usage: UsageRecord) => void;
  /** Called after each request to a model host (per-host metrics). */
  onHostCall?: (report: HostCallReport) => void;
}

type CallOptions = GenerateTextRequest;

/** A link of the fallback chain: a model, asked of the hosts its pool link may use. */
export interface LinkTarget extends ModelTarget {
  provider: PoolLink;
}

/** One generateText/generateObject call in progress. */
interface Call {
  request: CallOptions;
  chain: LinkTarget[];
  tally: UsageTally;
  maxOutputTokens: number;
  /** Times the output allowance was raised after a reply cut at the limit. */
  allowanceRaises: number;
}

const quietLogger: RuntimeLogger = { debug() {}, info() {}, warn() {}, error() {} };

export class Runtime implements SymphonyRuntime {
  private readonly logger: RuntimeLogger;
  private readonly backoff: Backoff;

  /** `pool` holds every host's slots; each link of `chain` is a view of some of its hosts. */
  constructor(
    readonly settings: RuntimeSettings,
    private readonly chain: LinkTarget[],
    private readonly pool: HostPool,
    private readonly options: RuntimeOptions = {},
  ) {
    if (chain.length === 0) throw new TypeError("the model chain needs at least one link");
    this.logger = options.logger ?? quietLogger;
    this.backoff = options.backoff ?? exponentialBackoff;
  }

  describe(): string {
    return this.chain
      .map((target, index) => {
        const link = `${target.provider.kind} ${target.provider.host} model ${target.model}`;
        return index === 0 ? link : `fallback ${link}`;
      })
      .join(", ");
  }

  health(): Promise<ProviderHealth> {
    const first = this.chain[0]!;
    return first.provider.health(first.model);
  }

  hosts(): HostStatus[] {
    return this.pool.statuses();
  }

  allowedModels(): readonly string[] {
    return this.settings.allowedModels;
  }

  freeSlots(): number {
    return this.chain[0]!.provider.freeSlots();
  }

  startHealthChecks(intervalMs: number): void {
    this.pool.startChecks(intervalMs);
  }

  stopHealthChecks(): void {
    this.pool.stopChecks();
  }

  estimateTokens(text: string): number {
    return estimateTokens(text);
  }

  async promptBudget(model?: string, maxOutputTokens?: number): Promise<number> {
    const target = this.chainFor(model, "budget")[0]!;
    let trained: number | undefined;
    try {
      trained = await target.provider.contextLength(target.model);
    } catch {
      trained = undefined;
    }
    const limit =
      contextLimit(target.provider.kind, trained, this.settings.numCtxMax) ??
      this.settings.numCtxMax;
    return Math.max(0, limit - (maxOutputTokens ?? this.settings.maxOutputTokens));
  }

  async generateText(request: GenerateTextRequest): Promise<GenerateTextResult> {
    const call = this.startCall(request);
    let link = 0;
    try {
      for (;;) {
        const answer = await this.ask(call, request.messages, link, undefined);
        link = answer.link;
        if (await this.raiseAfterCutOff(call, answer)) continue;
        return { text: answer.reply.text, usage: this.finish(call, answer) };
      }
    } catch (error) {
      throw this.failed(call, error);
    }
  }

  async generateObject<S extends z.ZodType>(
    request: GenerateObjectRequest<S>,
  ): Promise<GenerateObjectResult<z.infer<S>>> {
    const call = this.startCall(request);
    const json = jsonSchemaFor(request.schema);
    // The prompt states the whole schema; the engine's grammar gets only what it enforces cheaply.
    const engineSchema = engineSchemaFor(request.schema);
    const maxRepairs = request.maxRepairs ?? this.settings.maxRepairs;
    let messages = withSchemaInstruction(request.messages, json);
    let link = 0;
    try {
      for (;;) {
        const answer = await this.ask(call, messages, link, engineSchema);
        // A cut reply is asked for again with more room, not repaired at the same limit.
        if (await this.raiseAfterCutOff(call, answer)) {
          link = answer.link;
          continue;
        }
        const parsed = parseReply(answer.reply.text, request.schema);
        if (parsed.ok) return { value: parsed.value, usage: this.finish(call, answer) };
        if (call.tally.repairRounds >= maxRepairs)
          throw outputError(answer, parsed.issues, maxRepairs);
        call.tally.repairRounds++;
        this.logger.debug(
          { agent: request.agent, model: answer.target.model, issues: parsed.issues.slice(0, 5) },
          "model reply did not match the schema; asking the model to repair it",
        );
        // The repair continues the conversation with the link that answered.
        link = answer.link;
        messages = [
          ...messages,
          { role: "assistant", content: answer.reply.text },
          repairRequest(parsed.issues),
        ];
      }
    } catch (error) {
      throw this.failed(call, error);
    }
  }

  private startCall(request: CallOptions): Call {
    return {
      request,
      chain: this.chainFor(request.model, request.agent),
      tally: new UsageTally(request.agent, request.promptVersion, performance.now()),
      maxOutputTokens: request.maxOutputTokens ?? this.settings.maxOutputTokens,
      allowanceRaises: 0,
    };
  }

  /**
   * After a reply cut at the output limit: raises the call's allowance within the context window
   * and says so (true), or throws when no larger allowance fits. False for a finished reply.
   */
  private async raiseAfterCutOff(call: Call, answer: Answer): Promise<boolean> {
    if (!isCutOff(answer.reply)) return false;
    const { target, reply } = answer;
    const cutAt = reply.outputTokens ?? call.maxOutputTokens;
    const trained = await target.provider.contextLength(target.model);
    const window =
      answer.numCtx ?? contextLimit(target.provider.kind, trained, this.settings.numCtxMax);
    const prompt = Math.max(answer.estimatedPromptTokens, reply.promptTokens ?? 0);
    const next =
      call.allowanceRaises < MAX_ALLOWANCE_RAISES
        ? raisedAllowance(call.maxOutputTokens, prompt, window)
        : undefined;
    if (next === undefined) throw new ReplyCutOffError(target.model, cutAt, reply.text);
    this.logger.info(
      { agent: call.request.agent, model: target.model, cutAt, maxOutputTokens: next },
      "the reply was cut at the output limit; asking again with a larger allowance",
    );
    call.maxOutputTokens = next;
    call.allowanceRaises++;
    return true;
  }

  modelFor(agent: string, requested?: string): RoutedModel {
    const routed = requested ?? this.settings.agentModels?.[agent];
    const model = this.chain[0]!.model;
    if (routed === undefined) return { model, from: "default" };
    if (routed !== model && !this.settings.allowedModels.includes(routed)) {
      return { model, from: "default", refused: routed };
    }
    return { model: routed, from: requested !== undefined ? "repository" : "routing" };
  }

  /**
   * The chain for a call. A model the repository's config (or the operator's routing) asks for
   * goes first when the operator allows it (on the host of the link that serves it, else the
   * first link's hosts), with the configured chain behind it; otherwise the chain as it is.
   */
  private chainFor(fromConfig: string | undefined, agent: string): LinkTarget[] {
    const first = this.chain[0]!;
    const routed = this.modelFor(agent, fromConfig);
    if (routed.refused !== undefined) {
      this.logger.info(
        {
          agent,
          requested: routed.refused,
          allowed: this.settings.allowedModels,
          using: first.model,
        },
        "the configured model is not among SYMPHONY_ALLOWED_MODELS; using the default model",
      );
    }
    const requested = routed.model;
    if (requested === first.model) return this.chain;
    const serving = this.chain.findIndex((target) => target.model === requested);
    if (serving > 0)
      return [this.chain[serving]!, ...this.chain.filter((_, index) => index !== serving)];
    return [{ provider: first.provider, model: requested }, ...this.chain];
  }

  /** Tries the chain's links from `from` on; the first link's error is the one reported. */
  private async ask(
    call: Call,
    messages: ChatMessage[],
    from: number,
    jsonSchema: Record<string, unknown> | undefined,
  ): Promise<Answer> {
    const failures: ModelRuntimeError[] = [];
    for (let link = from; link < call.chain.length; link++) {
      const target = call.chain[link]!;
      try {
        const answer = await this.askLink(call, target, link, messages, jsonSchema);
        call.tally.add(answer);
        return answer;
      } catch (error) {
        if (!(error instanceof ModelRuntimeError) || !error.fallbackWorthy) throw error;
        failures.push(error);
        const next = call.chain[link + 1];
        if (next) {
          this.logger.warn(
            {
              agent: call.request.agent,
              failed: linkName(target),
              next: linkName(next),
              error: error.message,
            },
            "model call failed; falling back to the next model",
          );
        }
      }
    }
    throw failures[0]!;
  }

  /** One link: context check, a host's slot, the request, and retries of passing failures. */
  private async askLink(
    call: Call,
    target: LinkTarget,
    link: number,
    messages: ChatMessage[],
    jsonSchema: Record<string, unknown> | undefined,
  ): Promise<Answer> {
    const estimatedPromptTokens = estimateMessageTokens(messages);
    const signal = call.request.signal;
    for (let attempt = 0; ; attempt++) {
      try {
        if (signal?.aborted) throw new ModelAbortedError("the model call was cancelled");
        const numCtx = await this.fitContext(target, estimatedPromptTokens, call.maxOutputTokens);
        // The pool link waits for a slot and chooses the host.
        const reply = await this.send(call, target, messages, jsonSchema, numCtx);
        this.warnIfTruncated(call, target, estimatedPromptTokens, reply, numCtx);
        return { reply, target, link, estimatedPromptTokens, numCtx };
      } catch (error) {
        if (!(error instanceof ModelRuntimeError) || !worthRetrying(error)) throw error;
        if (attempt >= this.settings.retries) throw error;
        call.tally.retries++;
        this.logger.debug(
          {
            agent: call.request.agent,
            model: target.model,
            host: target.provider.host,
            attempt,
            error: error.message,
          },
          "model request failed; retrying",
        );
        await pause(this.backoff(attempt), signal);
      }
    }
  }

  /** num_ctx for the request (Ollama), after refusing a prompt that cannot fit. */
  private async fitContext(
    target: ModelTarget,
    estimatedPromptTokens: number,
    maxOutputTokens: number,
  ): Promise<number | undefined> {
    const trained = await target.provider.contextLength(target.model);
    const limit = contextLimit(target.provider.kind, trained, this.settings.numCtxMax);
    if (limit === undefined) return undefined;
    const needed = estimatedPromptTokens + maxOutputTokens;
    if (needed > limit) throw new ContextOverflowError(target.model, estimatedPromptTokens, limit);
    // The whole window, every time: Ollama reloads the model whenever num_ctx changes, so one
    // size per model (the operator's cap or the trained context) serves every step of a run.
    return target.provider.kind === "ollama" ? limit : undefined;
  }

  /** The request, once the link's pool has given it a host; the time limit starts there. */
  private send(
    call: Call,
    target: LinkTarget,
    messages: ChatMessage[],
    jsonSchema: Record<string, unknown> | undefined,
    numCtx: number | undefined,
  ): Promise<ProviderReply> {
    return target.provider.send(target.model, call.request.signal, (host) =>
      this.sendTo(host, call, target.model, messages, jsonSchema, numCtx),
    );
  }

  private async sendTo(
    host: ModelProvider,
    call: Call,
    model: string,
    messages: ChatMessage[],
    jsonSchema: Record<string, unknown> | undefined,
    numCtx: number | undefined,
  ): Promise<ProviderReply> {
    const { settings } = this;
    const deadline = new CallDeadline(host.host, settings.timeoutMs, call.request.signal);
    try {
      const reply = await host.chat({
        model,
        messages,
        ...(jsonSchema ? { jsonSchema, schemaName: schemaName(call.request.agent) } : {}),
        ...(numCtx !== undefined ? { numCtx } : {}),
        maxOutputTokens: call.maxOutputTokens,
        temperature: settings.temperature,
        ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
        keepAlive: settings.keepAlive,
        signal: deadline.signal,
        ...(call.request.onProgress ? { onProgress: call.request.onProgress } : {}),
      });
      deadline.succeeded();
      return reply;
    } catch (error) {
      throw deadline.explain(error);
    } finally {
      deadline.dispose();
    }
  }

  private warnIfTruncated(
    call: Call,
    target: ModelTarget,
    estimated: number,
    reply: ProviderReply,
    numCtx: number | undefined,
  ): void {
    if (reply.promptTokens === undefined) return;
    if (!evidentlyTruncated({ estimated, counted: reply.promptTokens, numCtx })) return;
    this.logger.warn(
      {
        agent: call.request.agent,
        model: target.model,
        host: target.provider.host,
        estimatedPromptTokens: estimated,
        promptTokens: reply.promptTokens,
        numCtx,
      },
      "the model server evidently truncated the prompt; the answer may ignore part of it " +
        "(on Ollama's /v1 endpoint raise OLLAMA_CONTEXT_LENGTH, or use the Ollama provider)",
    );
  }

  private finish(call: Call, answer: Answer): UsageRecord {
    const usage = call.tally.record(answer, performance.now());
    this.logger.debug({ usage }, "model call finished");
    this.options.onUsage?.(usage);
    return usage;
  }

  private failed(call: Call, error: unknown): unknown {
    if (error instanceof ModelRuntimeError && !(error instanceof ModelAbortedError)) {
      this.logger.warn(
        { agent: call.request.agent, error: error.name, retries: call.tally.retries },
        `model call failed: ${error.message}`,
      );
    }
    return error;
  }
}

function outputError(answer: Answer, issues: string[], maxRepairs: number): ModelOutputError {
  return new ModelOutputError(
    `model ${answer.target.model} did not produce a reply matching the schema, even after ` +
      `${maxRepairs} repair round(s) (${issues[0] ?? "no detail"}); try again, or choose a larger model`,
    answer.reply.text,
    issues,
  );
}

/** OpenAI wants ^[a-zA-Z0-9_-]{1,64}$. */
function schemaName(agent: string): string {
  const name = agent.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
  return name === "" ? "reply" : name;
}

function linkName(target: ModelTarget): string {
  return `${target.provider.kind} ${target.provider.host} model ${target.model}`;
}
