// Ollama through the `ollama` package: streamed /api/chat, /api/show for the trained context.
import { Ollama, type ChatResponse } from "ollama";
import { z } from "zod";
import { ModelUnavailableError } from "../errors.js";
import { publicUrl, splitCredentials } from "../host-url.js";
import type {
  HostInventory,
  ModelProvider,
  ProviderHealth,
  ProviderReply,
  ProviderRequest,
} from "../types.js";
import { describeOllamaFailure, ollamaError } from "./errors.js";

/** /api/show, /api/tags and /api/version answer at once on a live host. */
const METADATA_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = 5000;

const modelInfoSchema = z.record(z.string(), z.unknown());

export interface OllamaProviderOptions {
  /** OLLAMA_HOST, normalized. */
  baseUrl: string;
  fetch?: typeof fetch;
}

export class OllamaProvider implements ModelProvider {
  readonly kind = "ollama" as const;
  readonly host: string;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch;
  private readonly contextLengths = new Map<string, Promise<number | undefined>>();

  constructor(options: OllamaProviderOptions) {
    const { url, authorization } = splitCredentials(options.baseUrl);
    this.baseUrl = url;
    this.headers = authorization ? { Authorization: authorization } : {};
    this.host = publicUrl(options.baseUrl);
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  contextLength(model: string): Promise<number | undefined> {
    let known = this.contextLengths.get(model);
    if (!known) {
      known = this.readContextLength(model);
      this.contextLengths.set(model, known);
      // Only answers are kept: a host that was down is asked again next time.
      known.catch(() => this.contextLengths.delete(model));
    }
    return known;
  }

  async chat(request: ProviderRequest): Promise<ProviderReply> {
    let text = "";
    let chunks = 0;
    let final: ChatResponse | undefined;
    try {
      const stream = await this.client(request.signal).chat({
        model: request.model,
        messages: request.messages,
        stream: true,
        ...(request.jsonSchema ? { format: request.jsonSchema } : {}),
        ...(request.keepAlive !== undefined ? { keep_alive: request.keepAlive } : {}),
        options: {
          ...(request.numCtx !== undefined ? { num_ctx: request.numCtx } : {}),
          num_predict: request.maxOutputTokens,
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
        },
      });
      for await (const part of stream) {
        text += part.message?.content ?? "";
        chunks++;
        request.onProgress?.({ outputChars: text.length, chunks });
        if (part.done) final = part;
      }
    } catch (error) {
      throw ollamaError(error, this.host, request.model);
    }
    if (!final) {
      throw new ModelUnavailableError(
        `the Ollama host ${this.host} ended the reply stream before its final chunk`,
        this.host,
      );
    }
    return {
      text,
      promptTokens: final.prompt_eval_count,
      outputTokens: final.eval_count,
      doneReason: final.done_reason,
      durations: {
        totalMs: nanosToMs(final.total_duration),
        loadMs: nanosToMs(final.load_duration),
        promptEvalMs: nanosToMs(final.prompt_eval_duration),
        evalMs: nanosToMs(final.eval_duration),
      },
    };
  }

  async health(model: string): Promise<ProviderHealth> {
    const client = this.client(AbortSignal.timeout(HEALTH_TIMEOUT_MS));
    let version: string;
    try {
      ({ version } = await client.version());
    } catch (error) {
      return {
        reachable: false,
        problem: `the Ollama host ${this.host} did not answer (${describeOllamaFailure(error)}): start it with \`ollama serve\` or check OLLAMA_HOST`,
      };
    }
    try {
      const { models } = await client.list();
      const present = models.some(
        (entry) => sameModel(entry.name, model) || sameModel(entry.model, model),
      );
      if (present) return { reachable: true, version, modelPresent: true };
      return {
        reachable: true,
        version,
        modelPresent: false,
        problem: `model ${model} is not on the Ollama host ${this.host}: run \`ollama pull ${model}\``,
      };
    } catch (error) {
      return {
        reachable: true,
        version,
        problem: `the Ollama host ${this.host} could not list its models (${describeOllamaFailure(error)})`,
      };
    }
  }

  /** /api/version, /api/tags and /api/ps: what the host has, and what it holds in memory now. */
  async inventory(): Promise<HostInventory> {
    const client = this.client(AbortSignal.timeout(HEALTH_TIMEOUT_MS));
    try {
      const { version } = await client.version();
      const [{ models }, running] = await Promise.all([client.list(), client.ps()]);
      return {
        version,
        models: models.map((entry) => entry.name),
        loaded: running.models.map((entry) => entry.name),
      };
    } catch (error) {
      throw ollamaError(error, this.host, "");
    }
  }

  /**
   * A client per request, its fetch bound to the request's signal: ollama-js takes no signal of
   * its own, and this way a cancel or time limit stops the request before headers and mid-stream.
   */
  private client(signal: AbortSignal | undefined): Ollama {
    const fetchImpl = this.fetchImpl;
    return new Ollama({
      host: this.baseUrl,
      headers: this.headers,
      fetch: (input, init) => fetchImpl(input, signal ? { ...init, signal } : init),
    });
  }

  private async readContextLength(model: string): Promise<number | undefined> {
    try {
      const shown = await this.client(AbortSignal.timeout(METADATA_TIMEOUT_MS)).show({ model });
      return trainedContext(shown.model_info);
    } catch (error) {
      throw ollamaError(error, this.host, model);
    }
  }
}

/** `<architecture>.context_length` from /api/show's model_info. */
function trainedContext(modelInfo: unknown): number | undefined {
  const parsed = modelInfoSchema.safeParse(modelInfo);
  if (!parsed.success) return undefined;
  const info = parsed.data;
  const architecture = info["general.architecture"];
  const exact =
    typeof architecture === "string" ? info[`${architecture}.context_length`] : undefined;
  if (typeof exact === "number") return exact;
  const anyLength = Object.entries(info).find(
    ([key, value]) => key.endsWith(".context_length") && typeof value === "number",
  );
  return anyLength ? (anyLength[1] as number) : undefined;
}

/** Ollama names "llama3" and "llama3:latest" the same model. */
function sameModel(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const tagged = (name: string) => (name.includes(":") ? name : `${name}:latest`);
  return tagged(a) === tagged(b);
}

function nanosToMs(nanos: number | undefined): number | undefined {
  return typeof nanos === "number" ? nanos / 1e6 : undefined;
}
