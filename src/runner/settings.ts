// The runtime's settings, read once from the operator's environment and validated with zod.
import { z } from "zod";
import { RuntimeSettingsError } from "./errors.js";
import { normalizeBaseUrl, normalizeOllamaHost } from "./host-url.js";
import { readAgentRouting, type AgentModels } from "./agent-routing.js";
import { parseModelHosts, type ModelHostSettings } from "./model-hosts.js";
import { SecretValue } from "./secret-value.js";
import type { ProviderKind } from "./types.js";

export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";
export const DEFAULT_MODEL = "qwen2.5-coder:14b";

/** What each variable must look like, quoted in the sentence a bad value gets. */
const EXPECTS = {
  OLLAMA_HOST: "a host or URL such as http://127.0.0.1:11434",
  SYMPHONY_PROVIDER: '"ollama" or "openai"',
  SYMPHONY_MODEL: "a model name without spaces, such as qwen2.5-coder:14b",
  OPENAI_BASE_URL: "an http(s) URL such as http://127.0.0.1:8000/v1",
  OPENAI_API_KEY: "a key",
  SYMPHONY_FALLBACK_MODEL: "a model name without spaces",
  SYMPHONY_KEEP_ALIVE: 'a duration such as "30m", "1h30m" or "-1", or a number of seconds',
  SYMPHONY_TEMPERATURE: "a number from 0 to 2",
  SYMPHONY_SEED: "a whole number",
  SYMPHONY_NUM_CTX_MAX: "a whole number of tokens from 2048 to 1048576",
  SYMPHONY_MAX_OUTPUT_TOKENS: "a whole number of tokens from 16 to 262144",
  SYMPHONY_MODEL_TIMEOUT_MS: "a whole number of milliseconds, at least 1000",
  SYMPHONY_MODEL_CONCURRENCY: "a whole number from 1 to 64",
  SYMPHONY_MODEL_QUEUE_LIMIT: "a whole number from 0 to 10000",
  SYMPHONY_MODEL_RETRIES: "a whole number from 0 to 10",
  SYMPHONY_MAX_REPAIRS: "a whole number from 0 to 5",
  SYMPHONY_ALLOWED_MODELS: "a comma-separated list of model names",
  SYMPHONY_MODEL_HOSTS:
    "a comma-separated list of hosts such as http://gpu-a:11434,openai+https://vllm.internal/v1",
  SYMPHONY_HOST_CHECK_INTERVAL_MS: "a whole number of milliseconds, at least 1000",
} as const;

type Variable = keyof typeof EXPECTS;
const SECRET_VARIABLES = new Set<Variable>(["OPENAI_API_KEY"]);

const modelName = z.string().regex(/^\S+$/);
const wholeNumber = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const goDuration = /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

const envSchema = z
  .object({
    OLLAMA_HOST: z.string().transform((raw, ctx) => {
      try {
        return normalizeOllamaHost(raw);
      } catch {
        ctx.issues.push({ code: "custom", message: "", input: raw });
        return z.NEVER;
      }
    }),
    SYMPHONY_PROVIDER: z.enum(["ollama", "openai"]).optional(),
    SYMPHONY_MODEL: modelName.optional(),
    OPENAI_BASE_URL: z
      .string()
      .transform((raw, ctx) => {
        try {
          return normalizeBaseUrl(raw);
        } catch {
          ctx.issues.push({ code: "custom", message: "", input: raw });
          return z.NEVER;
        }
      })
      .optional(),
    OPENAI_API_KEY: z.string().optional(),
    SYMPHONY_FALLBACK_MODEL: modelName.optional(),
    SYMPHONY_KEEP_ALIVE: z
      .string()
      .refine((value) => /^-?\d+$/.test(value) || goDuration.test(value))
      .transform((value) => (/^-?\d+$/.test(value) ? Number(value) : value))
      .optional(),
    SYMPHONY_TEMPERATURE: z.coerce.number().min(0).max(2).optional(),
    SYMPHONY_SEED: z.coerce.number().int().optional(),
    SYMPHONY_NUM_CTX_MAX: wholeNumber(2048, 1_048_576).optional(),
    SYMPHONY_MAX_OUTPUT_TOKENS: wholeNumber(16, 262_144).optional(),
    SYMPHONY_MODEL_TIMEOUT_MS: wholeNumber(1000, Number.MAX_SAFE_INTEGER).optional(),
    SYMPHONY_MODEL_CONCURRENCY: wholeNumber(1, 64).optional(),
    SYMPHONY_MODEL_QUEUE_LIMIT: wholeNumber(0, 10_000).optional(),
    SYMPHONY_MODEL_RETRIES: wholeNumber(0, 10).optional(),
    SYMPHONY_MAX_REPAIRS: wholeNumber(0, 5).optional(),
    SYMPHONY_ALLOWED_MODELS: z
      .string()
      .transform((list) => list.split(/[\s,]+/).filter((name) => name !== ""))
      .optional(),
    SYMPHONY_MODEL_HOSTS: z.string().optional(),
    SYMPHONY_HOST_CHECK_INTERVAL_MS: wholeNumber(1000, 86_400_000).optional(),
  })
  // Checks across variables run only once each variable is valid on its own.
  .transform((env, ctx) => {
    const problems = crossVariableProblems(env);
    if (problems.length > 0) {
      for (const [variable, message] of problems) {
        ctx.issues.push({
          code: "custom",
          path: [variable],
          message,
          params: { sentence: true },
          input: env,
        });
      }
      return z.NEVER;
    }
    const provider: ProviderKind = env.SYMPHONY_PROVIDER ?? "ollama";
    const model = env.SYMPHONY_MODEL ?? DEFAULT_MODEL;
    const fallbackModel = env.SYMPHONY_FALLBACK_MODEL;
    const chain = modelChain(provider, env.OLLAMA_HOST, env.OPENAI_BASE_URL, model, fallbackModel);
    return {
      provider,
      ollamaHost: env.OLLAMA_HOST,
      model,
      fallbackModel,
      openaiBaseUrl: env.OPENAI_BASE_URL,
      openaiApiKey:
        env.OPENAI_API_KEY === undefined ? undefined : new SecretValue(env.OPENAI_API_KEY),
      /** Links of the fallback chain, in the order they are tried. */
      chain,
      keepAlive: env.SYMPHONY_KEEP_ALIVE ?? "30m",
      temperature: env.SYMPHONY_TEMPERATURE ?? 0.2,
      seed: env.SYMPHONY_SEED,
      numCtxMax: env.SYMPHONY_NUM_CTX_MAX ?? 32_768,
      maxOutputTokens: env.SYMPHONY_MAX_OUTPUT_TOKENS ?? 4096,
      timeoutMs: env.SYMPHONY_MODEL_TIMEOUT_MS ?? 900_000,
      concurrency: env.SYMPHONY_MODEL_CONCURRENCY ?? 1,
      queueLimit: env.SYMPHONY_MODEL_QUEUE_LIMIT ?? 32,
      retries: env.SYMPHONY_MODEL_RETRIES ?? 3,
      maxRepairs: env.SYMPHONY_MAX_REPAIRS ?? 2,
      /** Models a repository's config may ask for. */
      allowedModels: env.SYMPHONY_ALLOWED_MODELS ?? unique(chain.map((link) => link.model)),
      /** Milliseconds between background health checks of SYMPHONY_MODEL_HOSTS. */
      hostCheckIntervalMs: env.SYMPHONY_HOST_CHECK_INTERVAL_MS ?? 15_000,
    };
  });

export type RuntimeSettings = z.output<typeof envSchema> & {
  /** The operator's model per agent (SYMPHONY_AGENT_MODELS, tiers resolved); empty: the default model. */
  agentModels?: AgentModels;
  /** SYMPHONY_MODEL_HOSTS: the hosts that serve the first link's host, balanced; else undefined. */
  hosts?: ModelHostSettings[] | undefined;
};

interface CheckedEnv {
  SYMPHONY_PROVIDER?: ProviderKind | undefined;
  OPENAI_BASE_URL?: string | undefined;
  SYMPHONY_FALLBACK_MODEL?: string | undefined;
  SYMPHONY_NUM_CTX_MAX?: number | undefined;
  SYMPHONY_MAX_OUTPUT_TOKENS?: number | undefined;
}

function crossVariableProblems(env: CheckedEnv): [Variable, string][] {
  const problems: [Variable, string][] = [];
  const provider = env.SYMPHONY_PROVIDER ?? "ollama";
  if (provider === "openai" && env.OPENAI_BASE_URL === undefined) {
    problems.push([
      "SYMPHONY_PROVIDER",
      "SYMPHONY_PROVIDER is openai but OPENAI_BASE_URL is not set: give the endpoint's URL, e.g. http://127.0.0.1:8000/v1",
    ]);
  }
  if (provider === "ollama" && env.OPENAI_BASE_URL !== undefined && !env.SYMPHONY_FALLBACK_MODEL) {
    problems.push([
      "SYMPHONY_FALLBACK_MODEL",
      "OPENAI_BASE_URL is set but SYMPHONY_FALLBACK_MODEL is not: name the model to ask that endpoint for",
    ]);
  }
  const numCtxMax = env.SYMPHONY_NUM_CTX_MAX ?? 32_768;
  const maxOutput = env.SYMPHONY_MAX_OUTPUT_TOKENS ?? 4096;
  if (maxOutput >= numCtxMax) {
    problems.push([
      "SYMPHONY_MAX_OUTPUT_TOKENS",
      `SYMPHONY_MAX_OUTPUT_TOKENS (${maxOutput}) must be below SYMPHONY_NUM_CTX_MAX (${numCtxMax}), or no prompt would fit`,
    ]);
  }
  return problems;
}

export interface ModelLinkSettings {
  provider: ProviderKind;
  /** Base URL of the server (OLLAMA_HOST or OPENAI_BASE_URL). */
  host: string;
  model: string;
}

/**
 * Reads the runtime's settings from the environment. Empty variables count as unset, since
 * workflow inputs pass "" for anything left out.
 * @throws RuntimeSettingsError with one sentence per bad variable.
 */
export function loadRuntimeSettings(env: NodeJS.ProcessEnv): RuntimeSettings {
  const input: Partial<Record<Variable, string>> = {};
  for (const name of Object.keys(EXPECTS) as Variable[]) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== "") input[name] = value;
  }
  const parsed = envSchema.safeParse({ OLLAMA_HOST: DEFAULT_OLLAMA_HOST, ...input });
  if (parsed.success)
    return withRouting(withHosts(parsed.data, input.SYMPHONY_MODEL_HOSTS, env), env);
  const sentences = new Map<Variable, string>();
  for (const issue of parsed.error.issues) {
    const name = issue.path[0] as Variable;
    if (sentences.has(name)) continue;
    // Cross-variable checks word their own sentence; every other issue gets the standard one.
    const own = issue.code === "custom" && issue.params?.["sentence"] === true;
    sentences.set(name, own ? issue.message : sentenceFor(name, input[name]));
  }
  throw new RuntimeSettingsError([...sentences.values()].join("; "), [...sentences.keys()]);
}

/** The operator's routing by agent; its models are allowed, whatever SYMPHONY_ALLOWED_MODELS says. */
function withRouting(settings: RuntimeSettings, env: NodeJS.ProcessEnv): RuntimeSettings {
  let agentModels: AgentModels;
  try {
    agentModels = readAgentRouting(env);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuntimeSettingsError(reason, ["SYMPHONY_AGENT_MODELS"]);
  }
  if (Object.keys(agentModels).length === 0) return settings;
  const allowedModels = unique([...settings.allowedModels, ...Object.values(agentModels)]);
  return { ...settings, agentModels, allowedModels };
}

/** SYMPHONY_MODEL_HOSTS, read with the whole environment since a host names its key's variable. */
function withHosts(
  settings: z.output<typeof envSchema>,
  raw: string | undefined,
  env: NodeJS.ProcessEnv,
): RuntimeSettings {
  if (raw === undefined) return settings;
  try {
    const hosts = parseModelHosts(raw, env, settings.concurrency);
    return hosts.length === 0 ? settings : { ...settings, hosts };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuntimeSettingsError(`SYMPHONY_MODEL_HOSTS: ${reason}`, ["SYMPHONY_MODEL_HOSTS"]);
  }
}

function sentenceFor(name: Variable, raw: string | undefined): string {
  const shown = SECRET_VARIABLES.has(name) || raw === undefined ? "" : ` (it is "${raw}")`;
  return `${name} must be ${EXPECTS[name]}${shown}`;
}

function modelChain(
  provider: ProviderKind,
  ollamaHost: string,
  openaiBaseUrl: string | undefined,
  model: string,
  fallbackModel: string | undefined,
): ModelLinkSettings[] {
  if (provider === "openai") {
    // Checked above: the openai provider always has a base URL.
    const host = openaiBaseUrl ?? "";
    const chain: ModelLinkSettings[] = [{ provider, host, model }];
    if (fallbackModel) chain.push({ provider, host, model: fallbackModel });
    return chain;
  }
  const chain: ModelLinkSettings[] = [{ provider: "ollama", host: ollamaHost, model }];
  if (fallbackModel && openaiBaseUrl) {
    chain.push({ provider: "openai", host: openaiBaseUrl, model: fallbackModel });
  } else if (fallbackModel) {
    chain.push({ provider: "ollama", host: ollamaHost, model: fallbackModel });
  }
  return chain;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
