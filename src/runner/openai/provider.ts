// OpenAI-compatible servers (vLLM, llama.cpp, Ollama's /v1, hosted APIs) through the `openai` package.
import OpenAI from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { z } from "zod";
import { ModelAbortedError, ModelUnavailableError } from "../errors.js";
import { publicUrl, splitCredentials } from "../host-url.js";
import type { SecretValue } from "../secret-value.js";
import { fitsStrictMode } from "../structured-output.js";
import type {
  HostInventory,
  ModelProvider,
  ProviderHealth,
  ProviderReply,
  ProviderRequest,
} from "../types.js";
import { describeOpenAIFailure, openaiError } from "./errors.js";

const METADATA_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = 5000;
/** The SDK's own header timeout must never fire before the runtime's per-call limit. */
const LONGEST_TIMER_MS = 2_147_483_647;

/** /v1/models entries; vLLM adds `max_model_len`, llama.cpp server `meta.n_ctx_train`. */
const modelEntrySchema = z.object({
  id: z.string(),
  max_model_len: z.number().optional(),
  meta: z.object({ n_ctx_train: z.number().optional() }).optional(),
});
const modelListSchema = z.array(modelEntrySchema.passthrough());

export interface OpenAIProviderOptions {
  /** OPENAI_BASE_URL, e.g. http://127.0.0.1:8000/v1. */
  baseUrl: string;
  apiKey?: SecretValue;
  fetch?: typeof fetch;
}

export class OpenAIProvider implements ModelProvider {
  readonly kind = "openai" as const;
  readonly host: string;
  private readonly client: OpenAI;
  private readonly apiKey: SecretValue | undefined;
  private readonly contextLengths = new Map<string, Promise<number | undefined>>();

  constructor(options: OpenAIProviderOptions) {
    this.host = publicUrl(options.baseUrl);
    this.apiKey = options.apiKey;
    const { url, authorization } = splitCredentials(options.baseUrl);
    this.client = new OpenAI({
      baseURL: url,
      // Local servers need no key, but the SDK insists on one: a stand-in goes in and the
      // Authorization header is left out (or carries the URL's Basic credentials instead).
      apiKey: options.apiKey?.reveal() ?? "no-key",
      ...(authorization
        ? { defaultHeaders: { Authorization: authorization } }
        : options.apiKey
          ? {}
          : { defaultHeaders: { Authorization: null } }),
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: LONGEST_TIMER_MS,
      logLevel: "off",
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  contextLength(model: string): Promise<number | undefined> {
    let known = this.contextLengths.get(model);
    if (!known) {
      known = this.readContextLength(model);
      this.contextLengths.set(model, known);
      known.catch(() => this.contextLengths.delete(model));
    }
    return known;
  }

  async chat(request: ProviderRequest): Promise<ProviderReply> {
    let text = "";
    let chunks = 0;
    let finishReason: string | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    try {
      const stream = await this.client.chat.completions.create(requestBody(request), {
        ...(request.signal ? { signal: request.signal } : {}),
      });
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        text += choice?.delta?.content ?? "";
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
        chunks++;
        request.onProgress?.({ outputChars: text.length, chunks });
      }
    } catch (error) {
      throw openaiError(error, this.host, request.model, this.apiKey?.reveal());
    }
    // The SDK ends a stream quietly when its signal aborts, so a cancel shows only here.
    if (request.signal?.aborted) throw new ModelAbortedError("the model call was cancelled");
    if (finishReason === undefined) {
      throw new ModelUnavailableError(
        `the OpenAI-compatible endpoint ${this.host} ended the reply stream before its final chunk`,
        this.host,
      );
    }
    return {
      text,
      ...(usage
        ? { promptTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens }
        : {}),
      doneReason: finishReason,
      durations: {},
    };
  }

  async health(model: string): Promise<ProviderHealth> {
    try {
      const entries = await this.listModels(HEALTH_TIMEOUT_MS);
      if (entries.some((entry) => entry.id === model))
        return { reachable: true, modelPresent: true };
      return {
        reachable: true,
        modelPresent: false,
        problem: `model ${model} is not in the /v1/models list of ${this.host}`,
      };
    } catch (error) {
      return {
        reachable: false,
        problem: `the OpenAI-compatible endpoint ${this.host} did not answer (${describeOpenAIFailure(error)}): check OPENAI_BASE_URL`,
      };
    }
  }

  /** /v1/models: a server of this kind serves what it lists, already loaded. */
  async inventory(): Promise<HostInventory> {
    try {
      const ids = (await this.listModels(HEALTH_TIMEOUT_MS)).map((entry) => entry.id);
      return { models: ids, loaded: ids };
    } catch (error) {
      throw openaiError(error, this.host, "", this.apiKey?.reveal());
    }
  }

  private async readContextLength(model: string): Promise<number | undefined> {
    let entries: z.infer<typeof modelListSchema>;
    try {
      entries = await this.listModels(METADATA_TIMEOUT_MS);
    } catch {
      // Many endpoints list no lengths or no models at all; the chat request will say more.
      return undefined;
    }
    const entry = entries.find((item) => item.id === model);
    return entry?.max_model_len ?? entry?.meta?.n_ctx_train;
  }

  private async listModels(timeoutMs: number): Promise<z.infer<typeof modelListSchema>> {
    const page = await this.client.models.list({ signal: AbortSignal.timeout(timeoutMs) });
    const parsed = modelListSchema.safeParse(page.data);
    return parsed.success ? parsed.data : [];
  }
}

function requestBody(request: ProviderRequest): ChatCompletionCreateParamsStreaming {
  return {
    model: request.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: request.maxOutputTokens,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.jsonSchema
      ? {
          response_format: {
            type: "json_schema",
            json_schema: {
              name: request.schemaName ?? "reply",
              schema: request.jsonSchema,
              strict: fitsStrictMode(request.jsonSchema),
            },
          },
        }
      : {}),
  };
}
