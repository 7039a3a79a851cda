// Builds the runtime from settings: one provider per host, shared by the links that use it, and
// a pool of hosts in place of the first link's host when SYMPHONY_MODEL_HOSTS lists several.
import { HostPool } from "./host-pool.js";
import type { ModelHostSettings } from "./model-hosts.js";
import { OllamaProvider } from "./ollama/provider.js";
import { OpenAIProvider } from "./openai/provider.js";
import { Runtime, type RuntimeOptions, type SymphonyRuntime } from "./runtime.js";
import type { SecretValue } from "./secret-value.js";
import type { ModelLinkSettings, RuntimeSettings } from "./settings.js";
import type { ModelProvider } from "./types.js";

export function createModelRuntime(
  settings: RuntimeSettings,
  options: RuntimeOptions = {},
): SymphonyRuntime {
  // Sharing keeps one context-length cache per host.
  const providers = new Map<string, ModelProvider>();
  const providerFor = (link: ModelLinkSettings): ModelProvider => {
    const key = `${link.provider} ${link.host}`;
    let provider = providers.get(key);
    if (!provider) {
      provider = newProvider(link.provider, link.host, settings.openaiApiKey, options.fetch);
      providers.set(key, provider);
    }
    return provider;
  };
  const first = settings.chain[0]!;
  const pool = settings.hosts ? hostPool(settings, settings.hosts, options) : undefined;
  const chain = settings.chain.map((link) => ({
    // The pool stands in for the first link's host, also where a fallback model shares it.
    provider:
      pool && link.provider === first.provider && link.host === first.host
        ? pool
        : providerFor(link),
    model: link.model,
  }));
  return new Runtime(settings, chain, options);
}

function hostPool(
  settings: RuntimeSettings,
  hosts: ModelHostSettings[],
  options: RuntimeOptions,
): HostPool {
  const logger = options.logger;
  return new HostPool(
    hosts.map((host) => ({
      provider: newProvider(host.kind, host.url, host.apiKey, options.fetch),
      parallel: host.parallel,
    })),
    {
      // Each host's own queue limit, over the pool.
      queueLimit: settings.queueLimit * hosts.length,
      ...(options.onHostCall ? { onCall: options.onHostCall } : {}),
      onHostChange: (status, change) => {
        if (change === "down") {
          logger?.warn({ host: status.host, problem: status.problem }, "model host marked down");
        } else {
          logger?.info({ host: status.host }, "model host is back up");
        }
      },
    },
  );
}

function newProvider(
  kind: ModelLinkSettings["provider"],
  url: string,
  apiKey: SecretValue | undefined,
  fetchImpl: typeof fetch | undefined,
): ModelProvider {
  return kind === "ollama"
    ? new OllamaProvider({ baseUrl: url, ...(fetchImpl ? { fetch: fetchImpl } : {}) })
    : new OpenAIProvider({
        baseUrl: url,
        ...(apiKey ? { apiKey } : {}),
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
}
