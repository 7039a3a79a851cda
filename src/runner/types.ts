// The model runtime's public contract: what agents call, and what each provider implements.
import type { z } from "zod";

export type ChatRole = "system" | "user" | "assistant";

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Progress of a streamed reply, reported as chunks arrive. */
export interface StreamProgress {
  /** Characters of output received so far. */
  outputChars: number;
  /** Chunks received so far. */
  chunks: number;
}

/** One request as a provider sends it on the wire. */
export interface ProviderRequest {
  model: string;
  messages: ChatMessage[];
  /** JSON Schema the reply must follow (Ollama `format`, OpenAI `response_format`). */
  jsonSchema?: Record<string, unknown>;
  /** Name for the schema where the wire format wants one (OpenAI `json_schema.name`). */
  schemaName?: string;
  /** Context window to ask for (Ollama `options.num_ctx`); always set for Ollama. */
  numCtx?: number;
  /** Output tokens reserved (Ollama `options.num_predict`, OpenAI `max_tokens`). */
  maxOutputTokens: number;
  temperature?: number;
  seed?: number;
  /** Ollama `keep_alive` (e.g. "30m" or seconds). */
  keepAlive?: string | number;
  signal?: AbortSignal;
  onProgress?: (progress: StreamProgress) => void;
}

/** Timings from Ollama's final chunk, converted from nanoseconds to milliseconds. */
export interface ProviderDurations {
  totalMs?: number;
  loadMs?: number;
  promptEvalMs?: number;
  evalMs?: number;
}

export interface ProviderReply {
  text: string;
  promptTokens?: number;
  outputTokens?: number;
  /** "stop", "length", … as the server reported it. */
  doneReason?: string;
  durations: ProviderDurations;
  /** The server that answered, where a pool of hosts chose one (else the provider's `host`). */
  host?: string;
  /** Its kind, likewise. */
  provider?: ProviderKind;
}

export interface ProviderHealth {
  reachable: boolean;
  /** Server version where the server tells it. */
  version?: string;
  /** Whether the requested model is present; undefined when unknown. */
  modelPresent?: boolean;
  /** A sentence for logs and /readyz when something is wrong. */
  problem?: string;
  /** Each host of a pool, where SYMPHONY_MODEL_HOSTS lists several. */
  hosts?: HostHealth[];
}

/** One host of a pool as /readyz shows it. */
export interface HostHealth {
  host: string;
  kind: ProviderKind;
  up: boolean;
  /** Models the host has, where it told us. */
  models?: string[];
  problem?: string;
}

/** What a background health check learns of a host: whether it answers, what it has and has loaded. */
export interface HostInventory {
  version?: string;
  /** Models the host can serve (Ollama /api/tags, OpenAI-compatible /v1/models). */
  models: string[];
  /** Models in memory now (Ollama /api/ps); every listed model for OpenAI-compatible servers. */
  loaded: string[];
}

export type ProviderKind = "ollama" | "openai";

/** One model endpoint: Ollama or an OpenAI-compatible server. Knows nothing of GitHub. */
export interface ModelProvider {
  readonly kind: ProviderKind;
  /** Base URL, for logs and usage records (never carries a key). */
  readonly host: string;
  /** The model's trained context length, where the server tells it (cached). */
  contextLength(model: string): Promise<number | undefined>;
  chat(request: ProviderRequest): Promise<ProviderReply>;
  health(model: string): Promise<ProviderHealth>;
  /** Lists what the host has; throws when it does not answer. */
  inventory?(): Promise<HostInventory>;
}

/** The model a call of an agent is asked of first, and on whose word. */
export interface RoutedModel {
  model: string;
  /** The repository's config named it, the operator routes the agent to it, or the default. */
  from: "repository" | "routing" | "default";
  /** A model the repository's config asked for that the operator does not allow. */
  refused?: string;
}

/** One link of the fallback chain: a provider and the model to ask it for. */
export interface ModelTarget {
  provider: ModelProvider;
  model: string;
}

/** What every model call leaves behind, for footers, metrics and logs. */
export interface UsageRecord {
  agent: string;
  promptVersion: string;
  provider: ProviderKind;
  host: string;
  model: string;
  promptTokens: number;
  outputTokens: number;
  /** Our own estimate of the prompt, to compare with what the server counted. */
  estimatedPromptTokens: number;
  numCtx?: number;
  loadMs?: number;
  promptEvalMs?: number;
  evalMs?: number;
  wallMs: number;
  retries: number;
  repairRounds: number;
  /** True when a link after the first in the chain answered. */
  fallbackUsed: boolean;
  doneReason?: string;
}

interface CallOptions {
  /** Agent name, for usage records and metrics. */
  agent: string;
  /** Prompt template version; travels in the usage footer. */
  promptVersion: string;
  messages: ChatMessage[];
  /** Model to prefer for this call (from config, already checked against the operator's list). */
  model?: string;
  /** Output tokens to reserve; defaults to the runtime's setting. */
  maxOutputTokens?: number;
  signal?: AbortSignal;
  onProgress?: (progress: StreamProgress) => void;
}

export type GenerateTextRequest = CallOptions;

export interface GenerateObjectRequest<S extends z.ZodType> extends CallOptions {
  schema: S;
  /** Repair round trips after an invalid reply; defaults to the runtime's setting (2). */
  maxRepairs?: number;
}

export interface GenerateTextResult {
  text: string;
  usage: UsageRecord;
}

export interface GenerateObjectResult<T> {
  value: T;
  usage: UsageRecord;
}

/** What agents depend on. Implemented by the real runtime and by test doubles. */
export interface ModelRuntime {
  generateText(request: GenerateTextRequest): Promise<GenerateTextResult>;
  generateObject<S extends z.ZodType>(
    request: GenerateObjectRequest<S>,
  ): Promise<GenerateObjectResult<z.infer<S>>>;
  /**
   * Context tokens available to a call's prompt for the given (or default) model: the context
   * window less the output allowance (`maxOutputTokens` where the call sets its own, else the
   * runtime's setting).
   */
  promptBudget(model?: string, maxOutputTokens?: number): Promise<number>;
  /** Rough token count of a text, the same estimate the runtime uses for num_ctx. */
  estimateTokens(text: string): number;
}
