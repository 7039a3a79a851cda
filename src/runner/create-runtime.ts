// Builds the runtime from settings: one provider per host, shared by the links that use it.
import { OllamaProvider } from "./ollama/provider.js";
import { OpenAIProvider } from "./openai/provider.js";
import { Runtime, type RuntimeOptions, type SymphonyRuntime } from "./runtime.js";
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
      provider =
        link.provider === "ollama"
          ? new OllamaProvider({
              baseUrl: link.host,
              ...(options.fetch ? { fetch: options.fetch } : {}),
            })
          : new OpenAIProvider({
              baseUrl: link.host,
              ...(settings.openaiApiKey ? { apiKey: settings.openaiApiKey } : {}),
              ...(options.fetch ? { fetch: options.fetch } : {}),
            });
      providers.set(key, provider);
    }
    return provider;
  };
  const chain = settings.chain.map((link) => ({ provider: providerFor(link), model: link.model }));
  return new Runtime(settings, chain, options);
}
