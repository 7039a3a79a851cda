// Builds the runtime from settings: one provider and one set of slots per host, in one pool that
// every link of the fallback chain draws on (the first link on every host of SYMPHONY_MODEL_HOSTS
// when it lists several), so no host is ever limited in two places.
import { HostPool, type PooledHost, type PoolLink } from "./host-pool.js";
import { OllamaProvider } from "./ollama/provider.js";
import { OpenAIProvider } from "./openai/provider.js";
import { Runtime, type LinkTarget, type RuntimeOptions, type SymphonyRuntime } from "./runtime.js";
import type { SecretValue } from "./secret-value.js";
import type { ModelLinkSettings, RuntimeSettings } from "./settings.js";
import type { ModelProvider, ProviderKind } from "./types.js";

export function createModelRuntime(
  settings: RuntimeSettings,
  options: RuntimeOptions = {},
): SymphonyRuntime {
  // One entry per host, whichever links use it: its slots and its context-length cache.
  const hosts = new Map<string, PooledHost>();
  const hostFor = (kind: ProviderKind, url: string, apiKey: SecretValue | undefined) => {
    const key = `${kind} ${url}`;
    let host = hosts.get(key);
    if (!host) {
      const provider = newProvider(kind, url, apiKey, options.fetch);
      host = { provider, parallel: settings.concurrency };
      hosts.set(key, host);
    }
    return host.provider;
  };
  const listed = (settings.hosts ?? []).map((host) => {
    const provider = newProvider(host.kind, host.url, host.apiKey, options.fetch);
    hosts.set(`${host.kind} ${host.url}`, { provider, parallel: host.parallel, listed: true });
    return provider;
  });
  const first = settings.chain[0]!;
  const sameHost = (link: ModelLinkSettings) =>
    link.provider === first.provider && link.host === first.host;
  // SYMPHONY_MODEL_HOSTS stands in for the first link's host, also where a fallback model shares it.
  const providersOf = (link: ModelLinkSettings): ModelProvider[] =>
    listed.length > 0 && sameHost(link)
      ? listed
      : [hostFor(link.provider, link.host, settings.openaiApiKey)];
  const linkHosts = settings.chain.map(providersOf);
  const pool = hostPool([...hosts.values()], options);
  const links = new Map<string, PoolLink>();
  const chain: LinkTarget[] = settings.chain.map((link, index) => {
    const providers = linkHosts[index]!;
    // Links on the same hosts share one view, so their waiting calls count together.
    const key = providers.map((provider) => `${provider.kind} ${provider.host}`).join(",");
    let view = links.get(key);
    if (!view) {
      view = pool.link(providers, {
        // Each host's own queue limit, over the link.
        queueLimit: settings.queueLimit * providers.length,
        balanced: listed.length > 0 && providers === listed,
      });
      links.set(key, view);
    }
    return { provider: view, model: link.model };
  });
  return new Runtime(settings, chain, pool, options);
}

function hostPool(hosts: PooledHost[], options: RuntimeOptions): HostPool {
  const logger = options.logger;
  return new HostPool(hosts, {
    ...(options.onHostCall ? { onCall: options.onHostCall } : {}),
    onHostChange: (status, change) => {
      if (change === "down") {
        logger?.warn({ host: status.host, problem: status.problem }, "model host marked down");
      } else {
        logger?.info({ host: status.host }, "model host is back up");
      }
    },
  });
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
